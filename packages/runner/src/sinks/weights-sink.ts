import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { weightsJson, type RunEvent, type OutputSink } from '@srnn/core';
import { writeFileAtomic } from '../results/atomic-file';
import { sinkDone } from './on-event';

/**
 * weights.json: every particle's uid, parent uid (-1: none), birth step, class and final weights,
 * in population order. `population.init: { file }` and fixpoint sources read it back.
 */
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
