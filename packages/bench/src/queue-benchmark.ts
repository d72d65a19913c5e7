import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueExecutor, QueueWorker } from '@srnn/queue';
import { discoverInstalledPlugins, Srnn, type RunExecutor } from '@srnn/runner';
import { startRedisServer, type RedisServer } from '@srnn/testing';
import type { SectionContext } from './architecture-benchmark';
import { SELF_TRAIN_LR } from './kernel-workloads';
import type { ResultRow } from './result-row';

declare module './result-row' {
  interface ResultRow {
    /** Queue rows: what executed the runs (`pool of N threads`, `queue, N workers`). */
    readonly executor?: string;
  }
}

/** Small runs: 4 learning rates × 10 replicates of 10 weightwise nets × 100 self-train steps. */
const QUEUE_P = 10;
const QUEUE_STEPS = 100;
const QUEUE_LRS = [0.01, 0.02, 0.03, 0.04];
const QUEUE_REPLICATES = 10;
const RUNS = QUEUE_LRS.length * QUEUE_REPLICATES;
/** Alternating repetitions of every executor (the median is reported). */
const REPEATS = 3;

function scenarioText(seed: number): string {
  return [
    'name: bench-queue',
    `seed: ${seed}`,
    'architecture: { type: weightwise, width: 2, depth: 2, activation: linear, bias: false, layout: out-in }',
    `population: { size: ${QUEUE_P}, init: default }`,
    `experiment: { type: self-train, steps: ${QUEUE_STEPS}, lr: ${SELF_TRAIN_LR}, momentum: 0, batch: full }`,
    `sweep: { experiment.lr: [${QUEUE_LRS.join(', ')}] }`,
    `replicates: ${QUEUE_REPLICATES}`,
    '',
  ].join('\n');
}

/** An Srnn with the bench's plugins loaded from their files (worker threads load them so). */
async function fileSrnn(): Promise<Srnn> {
  const srnn = await Srnn.create({ discover: false });
  await srnn.loadPlugins(discoverInstalledPlugins().filter((ref) => ref.name === '@srnn/weightwise' || ref.name === '@srnn/self-train'));
  return srnn;
}

interface Executor {
  readonly label: string;
  readonly workers: number;
  open(srnn: Srnn): Promise<{ executor: RunExecutor; close(): Promise<void> }>;
}

/**
 * The same sweep of small runs (js) through the in-process pool of worker threads and through
 * the queue (a redis-server of its own on a free port; 1 and 2 QueueWorkers of one thread each,
 * in this process), alternating, each time with a fresh seed so that no job is found finished.
 * Reports runs/s and ms per run; a queue row's overhead is its ms per run minus that of the pool
 * with as many workers (one job's trip through Redis, its compression and the files' writing).
 */
export async function benchmarkQueue(context: SectionContext): Promise<void> {
  const common = { benchmark: 'queue', backend: 'js', engine: 'js', P: QUEUE_P, steps: QUEUE_STEPS, runs: RUNS, measured: true };
  let redis: RedisServer | undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'srnn-bench-queue-'));
  try {
    redis = await startRedisServer();
    const url = redis.url;
    const srnn = await fileSrnn();
    const pool = (workers: number): Executor => ({
      label: `pool of ${workers} thread${workers === 1 ? '' : 's'}`,
      workers,
      open: async (s) => {
        const executor = s.createPool({ workers, threads: true });
        return { executor, close: () => executor.close() };
      },
    });
    const queue = (workers: number): Executor => ({
      label: `queue, ${workers} worker${workers === 1 ? '' : 's'}`,
      workers,
      open: async (s) => {
        const started = await Promise.all(
          Array.from({ length: workers }, async () => QueueWorker.start({ url, concurrency: 1, pool: (await fileSrnn()).createPool({ workers: 1, threads: true }), plugins: s.plugins })),
        );
        const executor = await QueueExecutor.connect({ url, plugins: s.plugins, local: s.createPool({ workers: 1 }) });
        return { executor, close: async () => void (await Promise.all([executor.close(), ...started.map((w) => w.stop())])) };
      },
    });
    const executors = [pool(1), queue(1), pool(2), queue(2)];
    const seconds = new Map<Executor, number[]>(executors.map((e) => [e, []]));
    context.progress(`queue: ${RUNS} runs × ${QUEUE_P} nets × ${QUEUE_STEPS} steps, ${executors.map((e) => e.label).join(' / ')}, ${REPEATS} × alternating`);
    let seed = context.seed;
    for (let r = -1; r < REPEATS; r++) {
      for (const e of executors) {
        const { executor, close } = await e.open(srnn);
        try {
          const loaded = await srnn.loadScenarioText(scenarioText(seed++), '<bench queue>');
          const t0 = performance.now();
          await srnn.runSweepIntoDirectory(srnn.createSweep(loaded, {}, executor), join(tmp, `out-${seed}`));
          // the first round warms up (threads, V8, Redis) and is not counted
          if (r >= 0) seconds.get(e)!.push((performance.now() - t0) / 1000);
        } finally {
          await close();
        }
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
    for (const e of executors) {
      const s = median(seconds.get(e)!);
      const msPerRun = (1000 * s) / RUNS;
      const base = e.label.startsWith('queue') ? executors.find((p) => p.workers === e.workers && p.label.startsWith('pool')) : undefined;
      const overhead = base ? msPerRun - (1000 * median(seconds.get(base)!)) / RUNS : undefined;
      const note = `${e.label}: ${(RUNS / s).toFixed(0)} runs/s, ${msPerRun.toFixed(1)} ms/run${overhead === undefined ? '' : `, ${overhead.toFixed(1)} ms/run more than the ${base!.label}`}`;
      context.progress(`  ${note}`);
      context.emit({
        ...common,
        executor: e.label,
        netStepsPerSecond: (RUNS * QUEUE_P * QUEUE_STEPS) / s,
        elapsedSeconds: s,
        runsPerSecond: RUNS / s,
        msPerRun,
        overheadMsPerRun: overhead,
        note,
      } as ResultRow);
    }
  } catch (error) {
    const reason = `skipped: ${(error as Error).message.split('\n')[0]}`;
    context.progress(`queue: ${reason}`);
    context.emit({ ...common, engine: 'not started', measured: false, netStepsPerSecond: null, skipped: reason });
  } finally {
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
