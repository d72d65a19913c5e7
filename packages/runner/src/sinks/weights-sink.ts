import { endianness } from 'node:os';
import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { BINARY_WEIGHTS_FORMAT, PARTICLE_CLASSES, type OutputSink, type PopulationSnapshot, type RunEvent, type RunEventKind } from '@srnn/core';
import { writeFileAtomic } from '../results/atomic-file';
import { float32Text } from './float32-text';
import { sinkDone } from './on-event';

/** Populations of more weights than this write them to weights.f32, weights.json being its index. */
export const BINARY_WEIGHTS_THRESHOLD = 2 ** 20;
export const BINARY_WEIGHTS_FILE = 'weights.f32';
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * weights.json: every particle's uid, parent uid (-1: none), birth step, class and final weights,
 * in population order; for populations of more than 2^20 weights, the weights go to weights.f32
 * (raw little-endian float32) and weights.json is its index. `population.init: { file }` and
 * fixpoint sources read either back.
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
      const bytes = new Uint8Array(population.weights.buffer, population.weights.byteOffset, population.weights.byteLength);
      writeFileAtomic(join(dir, BINARY_WEIGHTS_FILE), LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32());
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
 * weights.json as the index of weights.f32: `{ "format": "srnn-weights/1", "weights":
 * "weights.f32", "size", "weightCount", "particles": [ { "uid", "parent", "birth", "class" } ] }`.
 */
export function weightsIndexJson(population: PopulationSnapshot): string {
  const lines = Array.from(
    population.uids,
    (uid, i) => `    { "uid": ${uid}, "parent": ${population.parentUids[i]}, "birth": ${population.birthSteps[i]}, "class": "${PARTICLE_CLASSES[population.classes[i]]}" }`,
  );
  const head = `"format": "${BINARY_WEIGHTS_FORMAT}", "weights": "${BINARY_WEIGHTS_FILE}", "size": ${population.uids.length}, "weightCount": ${population.weightCount}`;
  return `{\n  ${head},\n  "particles": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

function jsonWeight(value: number): string {
  return Number.isFinite(value) ? float32Text(value) : `"${value}"`;
}
