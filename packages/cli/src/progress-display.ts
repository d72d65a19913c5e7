import { SingleBar, Presets } from 'cli-progress';
import type { Observable } from 'rxjs';
import { PARTICLE_CLASSES, type Census, type RunEventOf } from '@srnn/core';

/** The event kinds the progress display reads: `run.select(...PROGRESS_KINDS)`. */
export const PROGRESS_KINDS = ['run-started', 'census', 'progress', 'run-finished', 'run-failed'] as const;

/**
 * Shows a run's progress: a live bar on a terminal, otherwise a plain line at every tenth of the
 * work (so logs of long runs in CI show that they move).
 */
export function showProgress(events$: Observable<RunEventOf<(typeof PROGRESS_KINDS)[number]>>, stream: NodeJS.WriteStream = process.stderr): void {
  let bar: SingleBar | undefined;
  let nextLine = 0;
  let census = '';
  const started = Date.now();
  events$.subscribe({
    next: (event) => {
      switch (event.kind) {
        case 'run-started':
          stream.write(
            `srnn ${event.info.srnnVersion}: ${event.info.scenario.name ?? event.info.scenario.experiment.type}, ` +
              `${event.info.scenario.population.size} × ${event.info.scenario.architecture.type} (${event.info.weightCount} weights), ` +
              `seed ${event.info.scenario.seed}, backend ${event.info.backend}\n`,
          );
          if (stream.isTTY) {
            bar = new SingleBar({ format: '{bar} {percentage}% | {value}/{total} steps | {census} | eta {eta_formatted}', stream, hideCursor: true }, Presets.shades_classic);
            bar.start(Math.max(event.info.totalWork, 1), 0, { census: '' });
          }
          break;
        case 'census':
          census = shortCensus(event.census);
          bar?.update({ census });
          break;
        case 'progress':
          if (bar) bar.update(event.done, { census });
          else if (event.done >= nextLine) {
            stream.write(`  ${event.done}/${event.total} steps (${Math.round((100 * event.done) / Math.max(event.total, 1))}%) ${census} ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
            nextLine = event.done + Math.max(1, Math.ceil(event.total / 10));
          }
          break;
        case 'run-finished':
        case 'run-failed':
          bar?.stop();
          break;
      }
    },
    error: () => bar?.stop(),
  });
}

export function shortCensus(census: Census): string {
  return PARTICLE_CLASSES.map((c) => `${c} ${census[c]}`).join(', ');
}
