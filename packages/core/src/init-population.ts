import { dirname, resolve } from 'node:path';
import { BoundedFileError, readBoundedJson } from '@srnn/bounded-file';
import type { NetworkShape } from './network';
import type { Population } from './population';
import type { Rng } from './random';
import type { InitSpec } from './scenario/schema';
import { weightVector, withBinaryWeights } from '@srnn/bounded-file';
import type { KeyPath } from './scenario/scenario-source';

/** Raised with the scenario key path it concerns, so the caller can locate it in the file. */
export class InitError extends Error {
  constructor(
    readonly path: KeyPath,
    message: string,
  ) {
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
export function initializePopulation(population: Population, network: NetworkShape, spec: InitSpec, rng: Rng, scenarioFile?: string): void {
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
    vectors = readWeightsFile(file, where, population);
  } else {
    vectors = init.weights;
  }
  copyVectors(population, vectors, where);
}

function readWeightsFile(file: string, where: KeyPath, population: Population): unknown {
  let json: unknown;
  try {
    json = readBoundedJson(file, weightsFileLimit(population.size, population.weightCount));
  } catch (error) {
    if (!(error instanceof BoundedFileError)) throw error;
    throw new InitError(where, `weights file ${error.message}`);
  }
  try {
    json = withBinaryWeights(json, file);
  } catch (error) {
    throw new InitError(where, `weights file ${(error as Error).message}`);
  }
  return weightVectorsOf(json);
}

/** The vectors of a weights file: a weights.json's particles' weights, or the file itself (an array of vectors). */
function weightVectorsOf(json: unknown): unknown {
  const particles = (json as { particles?: unknown } | null)?.particles;
  return Array.isArray(particles) ? particles.map((p) => (p as { weights?: unknown } | null)?.weights) : json;
}

/**
 * What a weights file of `particles` × `weights` may hold at most: 48 bytes a weight (a number
 * printed in full with its separator and indentation) and 256 a particle (uid, class, brackets),
 * plus 1 MiB.
 */
export function weightsFileLimit(particles: number, weights: number): { bytes: number; why: string } {
  return { bytes: particles * (weights * 48 + 256) + 1024 * 1024, why: `${particles} particles × (${weights} weights × 48 bytes + 256) + 1 MiB` };
}

function copyVectors(population: Population, vectors: unknown, where: KeyPath): void {
  const W = population.weightCount;
  if (!Array.isArray(vectors)) throw new InitError(where, 'expected a list of weight vectors');
  if (vectors.length !== population.size) {
    throw new InitError(where, `expected ${population.size} weight vectors (population.size), got ${vectors.length}`);
  }
  vectors.forEach((vector: unknown, i) => {
    const weights = weightVector(vector, W);
    if (!weights) throw new InitError([...where, i], `expected ${W} numbers for particle ${i} (a weight may also be "NaN", "Infinity" or "-Infinity")`);
    population.weightsOf(i).set(weights);
  });
}
