import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { PluginModuleRef, PluginRegistry, ResolvedScenario } from '@srnn/core';
import { figureJobs } from '../results/render-figures';
import type { SweepRunOutcome } from './execute-run';
import { batchSize, TaskQueue } from './task-queue';
import type { RenderFiguresOptions, RunExecutor, RunTaskOptions } from './run-executor';
import type { CancelMessage, FigureTask, WorkerData, WorkerMessage, WorkerTask } from './worker-protocol';

/** The default number of workers: one per core this process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Batches of runs aim at about this long by default. */
const BATCH_MS = 25;

/** Runs per batch at most. */
const MAX_BATCH = 32;

/** Weight of the latest run in its kind's recent run time. */
const RECENT_WEIGHT = 0.5;

export interface WorkerPoolOptions {
  /** What a batch of runs aims at (ms); 0: one run per hand-over. */
  readonly batchMs?: number;
}

/** How the pool has handed work over so far. */
export interface WorkerPoolStats {
  /** Tasks handed to workers: batches of runs and figures. */
  readonly handOvers: number;
  readonly runs: number;
  readonly figures: number;
}

/** A queued run and its caller's promise. */
interface QueuedRun {
  readonly task: 'run';
  readonly kind: string;
  readonly scenario: ResolvedScenario;
  /** The scenario's own plugin modules, as the creating Srnn loaded them. */
  readonly plugins: readonly PluginModuleRef[];
  readonly options: RunTaskOptions;
  readonly resolve: (outcome: SweepRunOutcome) => void;
  readonly reject: (error: unknown) => void;
  /** Leaves the queue when the caller's signal aborts while it waits. */
  readonly leave: () => void;
}

/** A queued figure. */
interface QueuedFigure {
  readonly task: 'figure';
  readonly kind: string;
  readonly ahead: true;
  readonly start: (worker: PoolWorker) => Promise<unknown>;
}

type Queued = QueuedRun | QueuedFigure;

/** One worker thread (a piscina pool of one thread). */
interface PoolWorker {
  readonly thread: Piscina<WorkerTask, string[] | void>;
  busy: boolean;
}

/** Runs of one experiment and network type run the same code: they go in batches together. */
function runKind(scenario: ResolvedScenario): string {
  return `run:${scenario.experiment.type}:${scenario.architecture.type}`;
}

/**
 * Runs in a pool of worker threads (each a piscina pool of one thread). Each worker builds its
 * own Srnn once, with the plugin modules the pool was given (those of the creating Srnn), and
 * loads a scenario's own `plugins:` files when a run names them — only as `pluginsOf` hands them
 * over (modules the creating Srnn loaded; it throws for others). A run's files are written by its
 * worker into the directory it was given; its progress and its outcome come back as messages.
 *
 * Scheduling (TaskQueue): first come, first served; figures go ahead of the queued runs (they are
 * the last step of something otherwise done). A worker that takes a run takes further queued runs
 * of the same kind (experiment and network type) with it, as one batch of about `batchMs` by the
 * kind's recent run time, so that it starts its next run without waiting for this thread to hand
 * it over — for the small runs of a sweep the round trip costs as much as a run. Batches shrink
 * as the queue drains, so that the workers finish together. Which worker runs a task, and with
 * which others, never changes its result.
 *
 * Cancelling a run asks its worker to stop it at its next progress report (as in-process), so
 * that a cancelled run has stopped writing when its promise settles; a queued run leaves the queue.
 */
export class WorkerPoolExecutor implements RunExecutor {
  private readonly threads: PoolWorker[];
  private readonly queue = new TaskQueue<Queued>();
  /** Recent run time (ms) by kind: sizes the batches. */
  private readonly runTimes = new Map<string, number>();
  private readonly batchMs: number;
  private readonly counts = { handOvers: 0, runs: 0, figures: 0 };

  constructor(
    readonly workers: number,
    plugins: readonly PluginModuleRef[],
    /** The creating Srnn's registry: which figures a results directory gets (the workers hold the same plugins). */
    private readonly registry: PluginRegistry,
    options: WorkerPoolOptions = {},
    /** The modules a scenario's `plugins:` name, as allowed by the creating Srnn (default: none allowed). */
    private readonly pluginsOf: (scenario: ResolvedScenario) => readonly PluginModuleRef[] = noScenarioPlugins,
  ) {
    this.batchMs = options.batchMs ?? BATCH_MS;
    const workerData: WorkerData = { plugins: plugins.map(({ name, path }) => ({ name, path })) };
    this.threads = Array.from({ length: workers }, () => ({
      thread: new Piscina<WorkerTask, string[] | void>({
        filename: join(__dirname, 'run-worker.js'),
        minThreads: 1,
        maxThreads: 1,
        idleTimeout: 60_000,
        // one task per worker at a time; workers wait on their message port, not in Atomics.wait
        concurrentTasksPerWorker: 1,
        atomics: 'disabled',
        workerData,
      }),
      busy: false,
    }));
  }

  /** How the pool has handed work over so far. */
  get stats(): WorkerPoolStats {
    return { ...this.counts };
  }

  execute(scenario: ResolvedScenario, options: RunTaskOptions = {}): Promise<SweepRunOutcome> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let plugins: readonly PluginModuleRef[];
    try {
      plugins = this.pluginsOf(scenario);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<SweepRunOutcome>((resolve, reject) => {
      const task: QueuedRun = {
        task: 'run',
        kind: runKind(scenario),
        scenario,
        plugins,
        options,
        resolve,
        reject,
        leave: () => {
          if (this.queue.remove(task)) reject(signal!.reason);
        },
      };
      signal?.addEventListener('abort', task.leave, { once: true });
      this.queue.add(task);
      this.dispatch();
    });
  }

  /** One task per figure, so that the figures of one directory are drawn side by side. */
  async renderFigures(dir: string, scenario: ResolvedScenario, options: RenderFiguresOptions = {}): Promise<string[]> {
    const { signal, onFailure } = options;
    const jobs = figureJobs(scenario, this.registry);
    const plugins = this.pluginsOf(scenario);
    const files = await Promise.all(
      jobs.map((job, index) =>
        this.renderFigure({ kind: 'figure', scenario, plugins, dir, index }, signal).catch((error: unknown) => {
          if (!onFailure || signal?.aborted) throw error;
          onFailure({ figure: job.figure.type, dir, error });
          return [];
        }),
      ),
    );
    return files.flat();
  }

  private renderFigure(figure: FigureTask, signal: AbortSignal | undefined): Promise<string[]> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<string[]>((resolve, reject) => {
      const leave = () => {
        if (this.queue.remove(task)) reject(signal!.reason);
      };
      const task: QueuedFigure = {
        task: 'figure',
        kind: 'figure',
        ahead: true,
        start: async (worker) => {
          signal?.removeEventListener('abort', leave);
          try {
            if (signal?.aborted) throw signal.reason;
            resolve((await worker.thread.run(figure)) as string[]);
          } catch (error) {
            reject(error);
          }
        },
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.queue.add(task);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((worker) => worker.thread.destroy()));
  }

  /** Hands queued tasks to free workers. */
  private dispatch(): void {
    for (const worker of this.threads) {
      if (worker.busy) continue;
      const task = this.queue.take();
      if (!task) return;
      worker.busy = true;
      this.counts.handOvers++;
      let done: Promise<unknown>;
      if (task.task === 'run') {
        const size = batchSize({
          runMs: this.runTimes.get(task.kind),
          queued: this.queue.count(task.kind) + 1,
          workers: this.workers,
          batchMs: this.batchMs,
          maxBatch: MAX_BATCH,
        });
        const batch = [task, ...(this.queue.takeMore(task.kind, size - 1) as QueuedRun[])];
        this.counts.runs += batch.length;
        done = this.runBatch(worker, batch);
      } else {
        this.counts.figures++;
        done = task.start(worker);
      }
      void done.finally(() => {
        worker.busy = false;
        this.dispatch();
      });
    }
  }

  /** Runs a batch in a worker; settles every run's promise as its outcome (or error) arrives. */
  private async runBatch(worker: PoolWorker, batch: readonly QueuedRun[]): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    const settled = new Set<number>();
    const startedAt = batch.map(() => 0);
    const cancels = batch.map((run, index) => () => cancel(port1, index, run.options.signal?.reason));
    const receive = (message: WorkerMessage) => {
      const run = batch[message.index];
      if (message.kind === 'started') {
        startedAt[message.index] = performance.now();
        run.options.onStarted?.();
      } else if (message.kind === 'progress') run.options.onProgress?.(message.done, message.total);
      else {
        settled.add(message.index);
        run.options.signal?.removeEventListener('abort', cancels[message.index]);
        if (message.kind === 'finished') {
          this.recordRunTime(run.kind, performance.now() - startedAt[message.index]);
          run.resolve(message.outcome);
        } else run.reject(run.options.signal?.aborted ? run.options.signal.reason : message.error);
      }
    };
    const drain = () => {
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) receive(m.message as WorkerMessage);
    };
    batch.forEach((run, index) => {
      run.options.signal?.removeEventListener('abort', run.leave);
      run.options.signal?.addEventListener('abort', cancels[index], { once: true });
    });
    port1.on('message', receive);
    let failure: { error: unknown } | undefined;
    try {
      // runs aborted since they were queued are cancelled before they start
      batch.forEach((run, index) => run.options.signal?.aborted && cancels[index]());
      const runs = batch.map(({ scenario, plugins, options }) => ({ scenario, plugins, dir: options.dir }));
      await worker.thread.run({ kind: 'runs', runs, port: port2 }, { transferList: [port2] });
    } catch (error) {
      failure = { error };
    } finally {
      // the batch's end comes on piscina's channel, which may overtake this one: deliver what is left first
      drain();
      batch.forEach((run, index) => run.options.signal?.removeEventListener('abort', cancels[index]));
      port1.close();
    }
    // a worker that failed (not a run) fails every run it has not reported on
    const error = failure ? failure.error : new Error('a worker ended a batch without reporting on every run');
    batch.forEach((run, index) => settled.has(index) || run.reject(run.options.signal?.aborted ? run.options.signal.reason : error));
  }

  private recordRunTime(kind: string, ms: number): void {
    const recent = this.runTimes.get(kind);
    this.runTimes.set(kind, recent === undefined ? ms : RECENT_WEIGHT * ms + (1 - RECENT_WEIGHT) * recent);
  }
}

function noScenarioPlugins(scenario: ResolvedScenario): readonly PluginModuleRef[] {
  if (scenario.plugins.length > 0) throw new Error(`plugins: ${scenario.plugins[0]}: this pool loads no plugin modules a scenario names`);
  return [];
}

function cancel(port: MessagePort, index: number, reason: unknown): void {
  port.postMessage({ kind: 'cancel', index, reason: reason instanceof Error ? reason.message : String(reason ?? 'cancelled') } satisfies CancelMessage);
}
