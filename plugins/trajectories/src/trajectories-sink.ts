import type { Observable } from 'rxjs';
import type { OutputSink, RunEvent, RunEventKind } from '@srnn/core';
import { sinkDone } from '@srnn/runner';
import { writeTrajectories, type TrajectorySet } from '@srnn/analysis';

/** trajectories.f32 + trajectories.json from an experiment's `analysis-trajectories` event, once the run has finished. */
export class TrajectoriesSink implements OutputSink {
  readonly name = 'trajectories';

  kinds(): readonly RunEventKind[] {
    return ['analysis-trajectories', 'run-finished'];
  }

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    let set: TrajectorySet | undefined;
    return sinkDone(events$, (event) => {
      if (event.kind === 'analysis-trajectories') set = event.set;
      else if (event.kind === 'run-finished' && set) writeTrajectories(dir, set);
    });
  }
}
