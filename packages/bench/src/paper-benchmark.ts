import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ResultRow } from './result-row';

declare module './result-row' {
  interface ResultRow {
    /** Paper rows: worker threads of `srnn paper --workers`, and the wall-clock seconds per repetition. */
    readonly workers?: number;
    readonly wallSeconds?: readonly number[];
    /** Paper row with more than one worker: its median wall time over the one-worker median. */
    readonly ratioToOneWorker?: number;
  }
}

/** Issue 6: with 2 workers the whole paper takes at most this share of the 1-worker time. */
export const PAPER_RATIO_TARGET = 0.6;

interface PaperContext {
  readonly progress: (message: string) => void;
  readonly emit: (row: ResultRow) => void;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall-clock seconds of one `srnn paper` process (start-up included), or why it failed. */
function timePaper(workers: number): number | string {
  const out = mkdtempSync(join(tmpdir(), 'srnn-bench-paper-'));
  try {
    const cli = join(dirname(require.resolve('@srnn/cli/package.json')), 'dist', 'main.js');
    const started = performance.now();
    const child = spawnSync(process.execPath, [cli, 'paper', '--out', join(out, 'paper'), '--workers', String(workers)], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const seconds = (performance.now() - started) / 1000;
    if (child.status !== 0) return `srnn paper failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
    return seconds;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * `srnn paper` at full settings, as a user runs it (a process per run, start-up included), with
 * 1 and with `workers` worker threads in turn, `repeats` times; the median of each and their ratio.
 * Turns alternate so that a slow spell of the machine hits both.
 */
export function benchmarkPaper(context: PaperContext, repeats: number, workers = 2): void {
  const counts = [1, workers];
  const seconds = new Map<number, number[]>(counts.map((n) => [n, []]));
  context.progress(`srnn paper (full settings): ${repeats} × ${counts.map((n) => `--workers ${n}`).join(' and ')}, in turn`);
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const n of counts) {
      const result = timePaper(n);
      if (typeof result === 'string') {
        context.progress(`  ${result}`);
        for (const m of counts) context.emit({ benchmark: 'paper', backend: 'js', engine: 'srnn paper', P: null, netStepsPerSecond: null, measured: false, workers: m, skipped: result });
        return;
      }
      seconds.get(n)!.push(result);
      context.progress(`  --workers ${n}: ${result.toFixed(2)} s`);
    }
  }
  const one = median(seconds.get(1)!);
  for (const n of counts) {
    const wall = seconds.get(n)!;
    const ratio = median(wall) / one;
    const row: ResultRow = {
      benchmark: 'paper',
      backend: 'js',
      engine: 'srnn paper',
      P: null,
      netStepsPerSecond: null,
      measured: true,
      workers: n,
      elapsedSeconds: median(wall),
      wallSeconds: wall,
      ...(n > 1 ? { ratioToOneWorker: ratio, note: `${ratio.toFixed(2)} × the 1-worker time (target ≤ ${PAPER_RATIO_TARGET}: ${ratio <= PAPER_RATIO_TARGET ? 'pass' : 'FAIL'})` } : {}),
    };
    context.emit(row);
  }
}

export function paperNotes(): string[] {
  return [
    'the paper rows time `srnn paper --out <tmp> --workers N` at full settings as processes (start-up, planning, runs, figures and',
    'report included), N = 1 (in this process) and 2 (worker threads) in turn; wall clock median over the repetitions.',
  ];
}
