import type { Observable } from 'rxjs';
import type { OutputSink, RunEvent, RunEventKind } from '@srnn/core';
import { writeTrajectories, type TrajectorySet } from '@srnn/analysis';

/** trajectories.f32 + trajectories.json from an experiment's `analysis-trajectories` event, once the run has finished. */
export class TrajectoriesSink implements OutputSink {
  readonly name = 'trajectories';

  kinds(): readonly RunEventKind[] {
    return ['analysis-trajectories', 'run-finished'];
  }

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    let set: TrajectorySet | undefined;
    return new Promise((resolve, reject) => {
      let failed = false;
      const subscription = events$.subscribe({
        next: (event) => {
          if (failed) return;
          try {
            if (event.kind === 'analysis-trajectories') set = event.set;
            else if (event.kind === 'run-finished' && set) writeTrajectories(dir, set);
          } catch (error) {
            failed = true;
            subscription?.unsubscribe();
            reject(error);
          }
        },
        error: reject,
        complete: () => resolve(),
      });
    });
  }
}
