import { endianness } from 'node:os';
import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { BINARY_PARTICLES_FORMAT, PARTICLE_CLASSES, type OutputSink, type PopulationSnapshot, type RunEvent, type RunEventKind } from '@srnn/core';
import { writeFileAtomic } from '../results/atomic-file';
import { float32Text } from './float32-text';
import { sinkDone } from './on-event';

/** Populations of more weights than this write them to weights.f32 and their particles to particles.i32, weights.json being the index. */
export const BINARY_WEIGHTS_THRESHOLD = 2 ** 20;
export const BINARY_WEIGHTS_FILE = 'weights.f32';
export const BINARY_PARTICLES_FILE = 'particles.i32';
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * weights.json: every particle's uid, parent uid (-1: none), birth step, class and final weights,
 * in population order; for populations of more than 2^20 weights, the weights go to weights.f32
 * (raw little-endian float32), the rest to particles.i32 (little-endian int32 [uid, parent,
 * birth, class code] per particle) and weights.json is their index (srnn-weights/2) — a JSON
 * record per particle cost a large short run more than its computing. `population.init: { file }`
 * and fixpoint sources read either back (and srnn-weights/1 indexes of earlier versions).
 */
@injectable()
export class WeightsSink implements OutputSink {
  readonly name = 'weights';

  kinds(): readonly RunEventKind[] {
    return ['run-finished'];
  }

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    return sinkDone(events$, (event) => {
      if (event.kind !== 'run-finished') return;
      const { population } = event;
      if (population.weights.length <= BINARY_WEIGHTS_THRESHOLD) return writeFileAtomic(join(dir, 'weights.json'), weightsJson(population));
      writeFileAtomic(join(dir, BINARY_WEIGHTS_FILE), littleEndian(population.weights));
      writeFileAtomic(join(dir, BINARY_PARTICLES_FILE), littleEndian(particleTable(population)));
      writeFileAtomic(join(dir, 'weights.json'), weightsIndexJson(population));
    });
  }
}

/**
 * weights.json, the final population of a run (README, "Results"):
 * `{ "particles": [ { "uid", "parent", "birth", "class", "weights": [...] } ] }` in population
 * order — parent uid (-1: none) and birth step; a weight is the shortest JSON number that reads
 * back to the same float32 or, where JSON has none, one of the strings "NaN", "Infinity",
 * "-Infinity". `population.init: { file }` and the fixpoint sources of the analysis experiments
 * read it back (core's `weightVector`).
 */
export function weightsJson(population: PopulationSnapshot): string {
  const W = population.weightCount;
  const lines = Array.from(population.uids, (uid, i) => {
    const weights = Array.from(population.weights.subarray(i * W, (i + 1) * W), jsonWeight);
    const parent = population.parentUids[i];
    const birth = population.birthSteps[i];
    return `    { "uid": ${uid}, "parent": ${parent}, "birth": ${birth}, "class": "${PARTICLE_CLASSES[population.classes[i]]}", "weights": [${weights.join(', ')}] }`;
  });
  return `{\n  "particles": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/**
 * weights.json as the index of weights.f32 and particles.i32: `{ "format": "srnn-weights/2",
 * "weights": "weights.f32", "particles": "particles.i32", "size", "weightCount", "classes": [the
 * class names, by code] }`.
 */
export function weightsIndexJson(population: PopulationSnapshot): string {
  const fields = [
    `"format": "${BINARY_PARTICLES_FORMAT}"`,
    `"weights": "${BINARY_WEIGHTS_FILE}"`,
    `"particles": "${BINARY_PARTICLES_FILE}"`,
    `"size": ${population.uids.length}`,
    `"weightCount": ${population.weightCount}`,
    `"classes": ${JSON.stringify(PARTICLE_CLASSES)}`,
  ];
  return `{\n  ${fields.join(',\n  ')}\n}\n`;
}

/** [uid, parent uid, birth step, class code] per particle, in population order. */
export function particleTable(population: PopulationSnapshot): Int32Array {
  const { uids, parentUids, birthSteps, classes } = population;
  const table = new Int32Array(uids.length * 4);
  for (let i = 0; i < uids.length; i++) {
    table[4 * i] = uids[i];
    table[4 * i + 1] = parentUids[i];
    table[4 * i + 2] = birthSteps[i];
    table[4 * i + 3] = classes[i];
  }
  return table;
}

/** The bytes of a typed array of 4-byte values, little-endian. */
function littleEndian(values: Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32();
}

function jsonWeight(value: number): string {
  return Number.isFinite(value) ? float32Text(value) : `"${value}"`;
}
