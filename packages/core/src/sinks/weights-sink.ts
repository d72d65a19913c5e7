import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { PARTICLE_CLASSES } from '../classification';
import type { PopulationSnapshot, RunEvent } from '../events';
import type { OutputSink } from '../output-sink';
import { writeFileAtomic } from '../atomic-file';
import { sinkDone } from './on-event';

/** weights.json: every particle's uid, class and final weights, in population order. */
@injectable()
export class WeightsSink implements OutputSink {
  readonly name = 'weights';

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    return sinkDone(events$, (event) => {
      if (event.kind !== 'run-finished') return;
      writeFileAtomic(join(dir, 'weights.json'), weightsJson(event.population));
    });
  }
}

export function weightsJson(population: PopulationSnapshot): string {
  const W = population.weightCount;
  const lines = Array.from(population.uids, (uid, i) => {
    const weights = Array.from(population.weights.subarray(i * W, (i + 1) * W), jsonNumber);
    return `    { "uid": ${uid}, "class": "${PARTICLE_CLASSES[population.classes[i]]}", "weights": [${weights.join(', ')}] }`;
  });
  return `{\n  "particles": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/** JSON has no NaN or Infinity; divergent weights are written as null. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
