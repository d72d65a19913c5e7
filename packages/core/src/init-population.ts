import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { NetworkShape } from './network';
import type { Population } from './population';
import type { Rng } from './random';
import type { InitSpec } from './scenario/schema';
import type { KeyPath } from './scenario/scenario-source';

/** Raised with the scenario key path it concerns, so the caller can locate it in the file. */
export class InitError extends Error {
  constructor(readonly path: KeyPath, message: string) {
    super(message);
  }
}

/** An init spec as it applies to one network type: `{ byType }` resolved to the scheme it names for that type. */
export type TypeInitSpec = Exclude<InitSpec, { byType: unknown }>;

/** The init spec for networks of `type`: the scheme `{ byType }` names for it, or the spec itself. */
export function initForType(init: InitSpec, type: string): TypeInitSpec {
  if (typeof init === 'string' || !('byType' in init)) return init;
  const scheme = Object.hasOwn(init.byType, type) ? init.byType[type] : undefined;
  if (scheme === undefined) {
    const named = Object.keys(init.byType);
    throw new InitError(['population', 'init', 'byType'], `no init scheme for ${type}; byType names ${named.length > 0 ? named.join(', ') : 'no type'}`);
  }
  return scheme;
}

/** Fills the population's weights from an init spec: a random scheme (possibly per network type), explicit vectors or a file. */
export function initializePopulation(
  population: Population,
  network: NetworkShape,
  spec: InitSpec,
  rng: Rng,
  scenarioFile?: string,
): void {
  const init = initForType(spec, network.type);
  const path: KeyPath = typeof spec === 'string' || !('byType' in spec) ? ['population', 'init'] : ['population', 'init', 'byType', network.type];
  if (typeof init === 'string') {
    if (!network.initSchemes.includes(init)) {
      throw new InitError(path, `unknown init "${init}" for ${network.type}; expected one of: ${network.initSchemes.join(', ')}, { weights: [...] }, { file: ... }`);
    }
    for (let i = 0; i < population.size; i++) network.initialize(init, population.weightsOf(i), rng);
    return;
  }
  let vectors: unknown;
  let where: KeyPath = [...path, 'weights'];
  if ('file' in init) {
    where = [...path, 'file'];
    const file = scenarioFile ? resolve(dirname(scenarioFile), init.file) : resolve(init.file);
    vectors = readWeightsFile(file, where);
  } else {
    vectors = init.weights;
  }
  copyVectors(population, vectors, where);
}

function readWeightsFile(file: string, where: KeyPath): unknown {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code ? `cannot read (${code})` : `not JSON (${(error as Error).message})`;
    throw new InitError(where, `weights file ${file}: ${why}`);
  }
  const particles = (json as { particles?: { weights?: unknown }[] }).particles;
  return Array.isArray(particles) ? particles.map((p) => p.weights) : json;
}

function copyVectors(population: Population, vectors: unknown, where: KeyPath): void {
  const W = population.weightCount;
  if (!Array.isArray(vectors)) throw new InitError(where, 'expected a list of weight vectors');
  if (vectors.length !== population.size) {
    throw new InitError(where, `expected ${population.size} weight vectors (population.size), got ${vectors.length}`);
  }
  vectors.forEach((vector: unknown, i) => {
    if (!Array.isArray(vector) || vector.length !== W || !vector.every((v) => typeof v === 'number')) {
      throw new InitError([...where, i], `expected ${W} numbers for particle ${i}`);
    }
    population.weightsOf(i).set(vector as number[]);
  });
}
