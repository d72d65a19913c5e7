import { Presets, SingleBar } from 'cli-progress';
import type { Observable } from 'rxjs';
import { SRNN_VERSION } from '@srnn/core';
import { seconds, type PaperEvent } from '@srnn/report';

/**
 * Shows `srnn paper`'s progress over all runs of all experiments: a live bar on a terminal
 * (finished runs plus the running ones' shares), otherwise a line at every tenth of the runs;
 * and a line per finished experiment.
 */
export function showPaperProgress(events$: Observable<PaperEvent>, stream: NodeJS.WriteStream = process.stderr): void {
  let bar: SingleBar | undefined;
  let nextLine = 0;
  const started = Date.now();
  const running = new Map<string, number>();
  const share = () => [...running.values()].reduce((sum, fraction) => sum + fraction, 0);
  const say = (text: string) => {
    if (bar) bar.stop();
    stream.write(text);
    if (bar) bar.start(bar.getTotal(), done, { runs: done });
  };
  let done = 0;
  events$.subscribe({
    next: (event) => {
      switch (event.kind) {
        case 'paper-started':
          stream.write(
            `srnn ${SRNN_VERSION}: the paper${event.quick ? ' (quick)' : ''}: ${event.experiments.length} experiments, ${event.total} runs on ${event.workers} worker${event.workers === 1 ? '' : 's'}\n` +
              event.experiments.map((e) => `  ${e.name} (${e.runs} run${e.runs === 1 ? '' : 's'})`).join('\n') +
              '\n',
          );
          if (stream.isTTY) {
            bar = new SingleBar({ format: '{bar} {percentage}% | {runs}/{total} runs | eta {eta_formatted}', stream, hideCursor: true }, Presets.shades_classic);
            bar.start(Math.max(event.total, 1), 0, { runs: 0 });
          }
          break;
        case 'paper-run-started':
          running.set(`${event.experiment}/${event.run}`, 0);
          break;
        case 'paper-progress':
          running.set(`${event.experiment}/${event.run}`, event.fraction);
          bar?.update(event.done + share(), { runs: event.done });
          break;
        case 'paper-run-finished':
          done = event.done;
          running.delete(`${event.experiment}/${event.run}`);
          if (bar) bar.update(event.done + share(), { runs: event.done });
          else if (event.done >= nextLine || event.done === event.total) {
            const percent = Math.round((100 * event.done) / Math.max(event.total, 1));
            stream.write(`  ${event.done}/${event.total} runs (${percent}%) ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
            nextLine = event.done + Math.max(1, Math.ceil(event.total / 10));
          }
          break;
        case 'paper-experiment-finished':
          say(`  done: ${event.experiment} (${event.runs} run${event.runs === 1 ? '' : 's'}, ${seconds(event.wallMs)})\n`);
          break;
        case 'paper-finished':
        case 'paper-failed':
          bar?.stop();
          break;
      }
    },
    error: () => bar?.stop(),
  });
}
