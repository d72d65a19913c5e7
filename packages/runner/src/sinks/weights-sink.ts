import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { PARTICLE_CLASSES, type OutputSink, type PopulationSnapshot, type RunEvent, type RunEventKind } from '@srnn/core';
import { writeFileAtomic } from '../results/atomic-file';
import { sinkDone } from './on-event';

/**
 * weights.json: every particle's uid, parent uid (-1: none), birth step, class and final weights,
 * in population order. `population.init: { file }` and fixpoint sources read it back.
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
      writeFileAtomic(join(dir, 'weights.json'), weightsJson(event.population));
    });
  }
}

/**
 * weights.json, the final population of a run (README, "Results"):
 * `{ "particles": [ { "uid", "parent", "birth", "class", "weights": [...] } ] }` in population
 * order — parent uid (-1: none) and birth step; a weight is a JSON number or, where JSON has none,
 * one of the strings "NaN", "Infinity", "-Infinity". `population.init: { file }` and the fixpoint
 * sources of the analysis experiments read it back (core's `weightVector`).
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

function jsonWeight(value: number): string {
  return Number.isFinite(value) ? String(value) : `"${value}"`;
}
