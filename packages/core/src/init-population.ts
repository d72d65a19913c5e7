import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { NetworkShape } from './network';
import type { Population } from './population';
import type { Rng } from './random';
import type { InitSpec } from './scenario/schema';
import { weightVector } from './weights-json';
import type { KeyPath } from './scenario/scenario-source';

/** Raised with the scenario key path it concerns, so the caller can locate it in the file. */
export class InitError extends Error {
  constructor(readonly path: KeyPath, message: string) {
    super(message);
  }
}

/** Fills the population's weights from an init spec: a random scheme, explicit vectors or a file. */
export function initializePopulation(
  population: Population,
  network: NetworkShape,
  init: InitSpec,
  rng: Rng,
  scenarioFile?: string,
): void {
  const path: KeyPath = ['population', 'init'];
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
  return weightVectorsOf(json);
}

/** The vectors of a weights file: a weights.json's particles' weights, or the file itself (an array of vectors). */
function weightVectorsOf(json: unknown): unknown {
  const particles = (json as { particles?: unknown } | null)?.particles;
  return Array.isArray(particles) ? particles.map((p) => (p as { weights?: unknown } | null)?.weights) : json;
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
