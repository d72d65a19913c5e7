import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BusyCore } from './busy-core';
import { median } from './measure';
import { medianInterval } from './median-interval';
import type { ResultRow } from './result-row';
import { LR_VALUES, SWEEP_P, SWEEP_STEPS, scenarioText } from './sweep-benchmark';

declare module './result-row' {
  interface ResultRow {
    /** Pool rows: `--workers` of the srnn process. */
    readonly workers?: number;
    /** Pool rows: the machine as measured — idle, or another process keeping one core busy. */
    readonly load?: Load;
    /** Pool rows: wall-clock seconds, CPU seconds (user + system of every thread) and worker threads started, per repetition. */
    readonly wallSeconds?: readonly number[];
    readonly cpuSeconds?: readonly number[];
    readonly threadsStarted?: readonly (number | null)[];
    /** Pool rows with more than one worker: the median over the repetitions of (this wall time / the 1-worker wall time measured beside it). */
    readonly ratioToOneWorker?: number;
    /** Its distribution-free 95 % confidence interval (medianInterval), from 6 pairs on. */
    readonly ratioInterval?: readonly [number, number];
    readonly cpuRatioToOneWorker?: number;
  }
}

/** The pool rows: a sweep of many small runs (`srnn run`) and the whole paper (`srnn paper`). */
export type PoolWorkload = 'sweep' | 'paper';
export type Load = 'idle' | 'busy';

/** Issue 6: with 2 workers the whole paper takes at most this share of the 1-worker time (on an idle machine). */
export const PAPER_RATIO_TARGET = 0.6;

/** The sweep row's replicates: LR_VALUES × this = 200 small runs, the sweep issue 12 measured. */
const SWEEP_REPLICATES = 20;
const SWEEP_RUNS = LR_VALUES.length * SWEEP_REPLICATES;

export interface PoolBenchmarkOptions {
  readonly workloads: readonly PoolWorkload[];
  readonly loads: readonly Load[];
  readonly repeats: number;
  readonly seed: number;
  readonly workers?: number;
  /** Where the srnn processes write their results (default: poolOutputs()). */
  readonly outputs?: string;
}

/**
 * Where the pool rows' srnn processes write: a tmpfs (/dev/shm) where there is one. A paper
 * writes ≈ 15 000 files; on ext4 creating a file costs more the more files were deleted on the
 * disk lately (the inode allocator skips recently deleted inodes: measured here 0.6 to 12 s of
 * system time for the same 15 000 files, by what other processes had deleted) — noise that
 * decides a ratio of 1 against 2 workers, and that has nothing to do with the workers.
 */
export function poolOutputs(): string {
  try {
    if (statSync('/dev/shm').isDirectory()) {
      accessSync('/dev/shm', constants.W_OK);
      return '/dev/shm';
    }
  } catch {
    // no tmpfs here: the system's temporary directory
  }
  return tmpdir();
}

interface PoolContext {
  readonly progress: (message: string) => void;
  readonly emit: (row: ResultRow) => void;
}

interface Timing {
  readonly wall: number;
  /** CPU seconds of the process and its threads, where the system tells (Linux). */
  readonly cpu?: number;
  /** Threads the pool started (from its SRNN_DEBUG line). */
  readonly threads: number | null;
}

/** CPU seconds of this process's waited-for children (Linux: /proc/self/stat cutime + cstime, in 1/100 s); undefined elsewhere. */
function childrenCpuSeconds(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** One srnn process, as a user runs it (start-up included), or why it failed. */
function timeSrnn(args: readonly string[], cwd: string): Timing | string {
  const cli = join(dirname(require.resolve('@srnn/cli/package.json')), 'dist', 'main.js');
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const child = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SRNN_DEBUG: '1' }, maxBuffer: 64 << 20 });
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  if (child.status !== 0) return `srnn ${args[0]} failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
  const threads = /srnn: (\d+) of \d+ worker threads? started/.exec(child.stderr);
  return { wall, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore, threads: threads ? Number(threads[1]) : null };
}

function timeWorkload(workload: PoolWorkload, workers: number, dir: string): Timing | string {
  const out = join(dir, `out-${workload}-${workers}`);
  try {
    if (workload === 'paper') return timeSrnn(['paper', '--out', out, '--workers', String(workers)], dir);
    return timeSrnn(['run', 'sweep.yaml', '--out', out, '--workers', String(workers)], dir);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function label(workload: PoolWorkload): string {
  return workload === 'paper' ? 'srnn paper (full settings)' : `srnn run: sweep of ${SWEEP_RUNS} runs × ${SWEEP_P} nets × ${SWEEP_STEPS} steps`;
}

/**
 * `srnn paper` at full settings and `srnn run` of a sweep of 200 small runs, as a user runs them
 * (a process each, start-up included), with `--workers 1` and `--workers 2`, on the machine as it
 * is ("idle") and with another process keeping one core busy ("busy"). Every repetition measures
 * each pair side by side — 1 then 2 workers, then 2 then 1 in the next — so that a slow spell of a
 * shared machine hits both; a 2-worker row reports the median of those pairs' ratios.
 */
export async function benchmarkPool(context: PoolContext, options: PoolBenchmarkOptions): Promise<void> {
  const { workloads, loads, repeats } = options;
  const counts = [1, options.workers ?? 2];
  const dir = mkdtempSync(join(options.outputs ?? poolOutputs(), 'srnn-bench-pool-'));
  const timings = new Map<string, Timing[]>();
  const key = (workload: PoolWorkload, load: Load, workers: number) => `${workload}/${load}/${workers}`;
  const failed = new Map<string, string>();
  try {
    writeFileSync(join(dir, 'sweep.yaml'), scenarioText('js', options.seed, LR_VALUES, SWEEP_REPLICATES));
    context.progress(`pool: ${workloads.join(' and ')} with ${counts.map((n) => `--workers ${n}`).join(' and ')}, ${loads.join(' and ')}, ${repeats} × in turn`);
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const load of loads) {
        const busy = load === 'busy' ? BusyCore.start() : undefined;
        try {
          for (const workload of workloads) {
            for (const workers of repeat % 2 === 0 ? counts : [...counts].reverse()) {
              const k = key(workload, load, workers);
              if (failed.has(k)) continue;
              const timing = timeWorkload(workload, workers, dir);
              if (typeof timing === 'string') {
                failed.set(k, timing);
                context.progress(`  ${workload}, ${load}, --workers ${workers}: ${timing}`);
                continue;
              }
              timings.set(k, [...(timings.get(k) ?? []), timing]);
              const cpu = timing.cpu === undefined ? '' : `, ${timing.cpu.toFixed(2)} s CPU`;
              context.progress(
                `  ${workload}, ${load}, --workers ${workers}: ${timing.wall.toFixed(2)} s${cpu}${timing.threads === null ? '' : `, ${timing.threads} thread${timing.threads === 1 ? '' : 's'} started`}`,
              );
            }
          }
        } finally {
          await busy?.stop();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const workload of workloads) {
    for (const load of loads) {
      const one = timings.get(key(workload, load, 1)) ?? [];
      for (const workers of counts) {
        const k = key(workload, load, workers);
        const common = { benchmark: workload === 'paper' ? 'paper' : 'sweep-workers', backend: 'js', engine: label(workload), P: null, netStepsPerSecond: null, workers, load } as const;
        const mine = timings.get(k) ?? [];
        const skipped = failed.get(k) ?? failed.get(key(workload, load, 1));
        if (skipped || mine.length === 0) {
          context.emit({ ...common, measured: false, skipped: skipped ?? 'not measured' });
          continue;
        }
        const cpus = mine.map((t) => t.cpu).filter((cpu): cpu is number => cpu !== undefined);
        const pairs = Math.min(mine.length, one.length);
        const pairRatios = Array.from({ length: pairs }, (_, i) => mine[i].wall / one[i].wall);
        const ratio = workers > 1 ? median(pairRatios) : undefined;
        const interval = workers > 1 ? medianInterval(pairRatios) : undefined;
        const cpuRatio = workers > 1 && cpus.length === mine.length ? median(Array.from({ length: pairs }, (_, i) => mine[i].cpu! / one[i].cpu!)) : undefined;
        const notes =
          ratio === undefined
            ? []
            : [
                `${ratio.toFixed(2)} × the 1-worker time${cpuRatio === undefined ? '' : ` (CPU ${cpuRatio.toFixed(2)} ×)`}: ${slowerVerdict(pairRatios)}`,
                ...(pairs > 1 ? [`pairs ${pairRatios.map((r) => r.toFixed(2)).join(', ')}`] : []),
                ...(workload === 'paper' && load === 'idle' ? [`issue 6 target ≤ ${PAPER_RATIO_TARGET} when idle: ${ratio <= PAPER_RATIO_TARGET ? 'pass' : 'FAIL'}`] : []),
              ];
        const threads = mine.map((t) => t.threads);
        context.emit({
          ...common,
          measured: true,
          elapsedSeconds: median(mine.map((t) => t.wall)),
          wallSeconds: mine.map((t) => t.wall),
          ...(cpus.length === mine.length ? { cpuSeconds: cpus } : {}),
          threadsStarted: threads,
          ...(ratio !== undefined ? { ratioToOneWorker: ratio } : {}),
          ...(interval ? { ratioInterval: [interval.low, interval.high] as const } : {}),
          ...(cpuRatio !== undefined ? { cpuRatioToOneWorker: cpuRatio } : {}),
          note: [...(cpus.length === mine.length ? [`${median(cpus).toFixed(2)} s CPU`] : []), ...(threads.every((t) => t !== null) ? [`threads started ${threads.join(', ')}`] : []), ...notes].join(
            '; ',
          ),
        });
      }
    }
  }
}

/** The fewest pairs whose median ratio has a 95 % interval (medianInterval). */
export const PAIRS_FOR_INTERVAL = 6;

/**
 * Whether 2 workers are slower than 1, by the ratios (2-worker time / 1-worker time) of pairs
 * measured side by side: not when the median is ≤ 1; SLOWER only when the median's 95 % interval
 * lies above 1 — identical code paths measure a few per cent apart on this shared machine, so one
 * median above 1 alone says nothing. Too few pairs for an interval are said to be too few.
 */
export function slowerVerdict(pairRatios: readonly number[]): string {
  const ratio = median(pairRatios);
  if (ratio <= 1) return 'not slower';
  const interval = medianInterval(pairRatios);
  if (!interval) return `above 1, with too few pairs (${pairRatios.length}) to tell from noise: --pool-repeats ${PAIRS_FOR_INTERVAL} or more`;
  const range = `95 % interval of the median ${interval.low.toFixed(2)}–${interval.high.toFixed(2)}`;
  return interval.low <= 1 ? `not slower beyond noise (${range})` : `SLOWER (${range})`;
}

export function poolNotes(loads: readonly Load[], outputs = poolOutputs()): string[] {
  return [
    `pool rows: \`srnn run\` of a sweep of ${SWEEP_RUNS} small runs (weightwise, ${SWEEP_P} nets × ${SWEEP_STEPS} self-train steps) and \`srnn paper\` at full settings, as processes`,
    '(start-up, planning, runs, figures and report included) with --workers 1 and 2, side by side in every repetition (the order alternating);',
    `${loads.includes('busy') ? 'busy = another process (a node busy loop in a session of its own) keeps one core busy throughout; ' : ''}idle = the machine as it is (other processes' load included).`,
    'wall clock median; the 2-worker ratio is the median of the pairs measured side by side, SLOWER only when its 95 % interval (order statistics, from 6 pairs) lies above 1;',
    'CPU = user + system seconds of the srnn process.',
    `results written under ${outputs}${outputs === '/dev/shm' ? " (a tmpfs: on ext4 the cost of creating the paper's 15 000 files varies tenfold with what the disk deleted lately)" : ''}; --pool-dir to choose.`,
  ];
}
