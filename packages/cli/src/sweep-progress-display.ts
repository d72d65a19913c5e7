import { Presets, SingleBar } from 'cli-progress';
import type { Observable } from 'rxjs';
import { PARTICLE_CLASSES, SRNN_VERSION } from '@srnn/core';
import type { SweepEvent, SweepResult, SweepSummaryRow } from '@srnn/runner';

/**
 * Shows a sweep's progress over all its runs: a live bar on a terminal (finished runs plus the
 * current run's share), otherwise a plain line at every tenth of the runs.
 */
export function showSweepProgress(events$: Observable<SweepEvent>, stream: NodeJS.WriteStream = process.stderr): void {
  let bar: SingleBar | undefined;
  let nextLine = 0;
  const started = Date.now();
  const running = new Map<number, number>();
  const share = () => [...running.values()].reduce((sum, fraction) => sum + fraction, 0);
  events$.subscribe({
    next: (event) => {
      switch (event.kind) {
        case 'sweep-started': {
          const { base, keys, combinations, replicates, total } = event;
          const swept = keys.length > 0 ? `, sweeping ${keys.join(', ')}` : '';
          stream.write(
            `srnn ${SRNN_VERSION}: sweep of ${total} run${total === 1 ? '' : 's'} (${combinations} combination${combinations === 1 ? '' : 's'} × ${replicates} replicate${replicates === 1 ? '' : 's'}) ` +
              `of ${base.name ?? base.experiment.type}${swept}, base seed ${base.seed}\n`,
          );
          if (stream.isTTY) {
            bar = new SingleBar({ format: '{bar} {percentage}% | {runs}/{total} runs | {id} | eta {eta_formatted}', stream, hideCursor: true }, Presets.shades_classic);
            bar.start(Math.max(total, 1), 0, { runs: 0, id: '' });
          }
          break;
        }
        case 'sweep-run-started':
          running.set(event.run.index, 0);
          bar?.update(event.done + share(), { runs: event.done, id: event.run.id });
          break;
        case 'sweep-progress':
          // runs in a worker pool progress side by side: the bar shows finished runs plus the running ones' shares
          running.set(event.run.index, event.runDone / Math.max(event.runTotal, 1));
          bar?.update(event.done + share(), { runs: event.done, id: event.run.id });
          break;
        case 'sweep-run-finished':
          running.delete(event.run.index);
          if (bar) bar.update(event.done + share(), { runs: event.done });
          else if (event.done >= nextLine || event.done === event.total) {
            const percent = Math.round((100 * event.done) / Math.max(event.total, 1));
            stream.write(`  ${event.done}/${event.total} runs (${percent}%) ${event.run.id} ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
            nextLine = event.done + Math.max(1, Math.ceil(event.total / 10));
          }
          break;
        case 'sweep-finished':
        case 'sweep-failed':
          bar?.stop();
          break;
      }
    },
    error: () => bar?.stop(),
  });
}

/** The summary as a text table: one line per combination, mean ± sample std of each class's percentage. */
export function sweepSummaryTable(keys: readonly string[], summary: readonly SweepSummaryRow[]): string {
  const header = [...keys, 'n', ...PARTICLE_CLASSES];
  const cell = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const percent = (mean: number, std: number) => `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)} %`;
  const rows = summary.map((row) => [...keys.map((key) => cell(row.values[key])), String(row.n), ...PARTICLE_CLASSES.map((c) => percent(row.mean[c], row.std[c]))]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i < keys.length ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** What `run` and `resume` print once a sweep has finished: its size, time and summary table. */
export function sweepReport(result: SweepResult, workers: number, out: string): string {
  const runs = result.rows.length;
  return (
    `sweep of ${runs} run${runs === 1 ? '' : 's'} after ${(result.elapsedMs / 1000).toFixed(2)} s on ${workers} worker${workers === 1 ? '' : 's'}; class fractions, mean ± sample std over replicates:\n` +
    `${sweepSummaryTable(result.plan.keys, result.summary)}\nresults: ${out}\n`
  );
}
