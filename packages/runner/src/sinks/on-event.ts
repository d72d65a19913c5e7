import type { Observable } from 'rxjs';
import type { RunEvent } from '@srnn/core';

/**
 * Resolves when the run's stream completes after a successful run, rejecting if `write` throws,
 * so a sink's failure fails the run's results.
 */
export function sinkDone(events$: Observable<RunEvent>, write: (event: RunEvent) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const subscription = events$.subscribe({
      next: (event) => {
        if (failed) return;
        try {
          write(event);
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
