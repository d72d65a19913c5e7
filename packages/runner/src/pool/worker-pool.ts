import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { PluginRegistry, ResolvedScenario, RunResult } from '@srnn/core';
import type { PluginModuleRef } from '../plugin-loader';
import { figureJobs } from '../results/render-figures';
import type { SweepRunOutcome } from './execute-run';
import { IdleCores } from './idle-cores';
import { shouldStartWorker } from './pool-growth';
import { revivedError } from './posted-error';
import { batchSize, TaskQueue } from './task-queue';
import type { RenderFiguresOptions, RunExecutor, RunOptions, RunTaskOptions } from './run-executor';
import type { CancelMessage, FigureTask, RunTaskMessage, RunTaskOutcome, WorkerData, WorkerMessage } from './worker-protocol';
import { startWorkerThread, takePrestartedWorkerThread, type WorkerThread } from './worker-thread';

/** The default number of workers: one per core this process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Batches of runs aim at about this long by default. */
const BATCH_MS = 25;

/** Runs per batch at most. */
const MAX_BATCH = 32;

/** Weight of the latest task in its kind's recent time. */
const RECENT_WEIGHT = 0.5;

/** What a queued task of a kind not timed yet counts for, when deciding whether another thread pays. */
const UNKNOWN_TASK_MS = 250;

/** How often at most a pool with work queued and threads left to start looks at the idle cores (ms). */
const GROWTH_CHECK_MS = 100;

export interface WorkerPoolOptions {
  /** What a batch of runs aims at (ms); 0: one run per hand-over. */
  readonly batchMs?: number;
  /**
   * Start every worker thread at once (default: one at once, the others only when they pay — work
   * enough queued and a core idle for them).
   */
  readonly startAll?: boolean;
  /** Reads the cores the machine left idle since the previous reading (default: from `os.cpus()`, see IdleCores). */
  readonly idleCores?: () => number;
}

/** How the pool has handed work over so far. */
export interface WorkerPoolStats {
  /** Tasks handed to workers: batches of runs and figures. */
  readonly handOvers: number;
  readonly runs: number;
  readonly figures: number;
  /** Worker threads started so far. */
  readonly threads: number;
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

/** A queued figure, or a run of its own: one task, which settles its caller's promise itself. */
interface QueuedJob {
  readonly task: 'figure' | 'single';
  readonly kind: string;
  readonly ahead: boolean;
  readonly start: (worker: PoolWorker) => Promise<unknown>;
  readonly reject: (error: unknown) => void;
}

type Queued = QueuedRun | QueuedJob;

/** One worker thread (a piscina pool of one thread); busy while it starts, too. */
interface PoolWorker {
  readonly thread: WorkerThread;
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
 * Threads: the first starts at once (or is the one `prestartWorkerThread` started), the others
 * only while every thread is busy, the queued work would keep another one busy for a second at
 * least (by the recent times of its kinds) and the machine has a core idle for it — a thread costs
 * a module load and a JIT warm-up, and on a busy core it only competes with this process's own
 * threads: N workers are then never slower than one. The idle cores are looked at as workers
 * report, not by a timer: until a second thread starts, a pool of N runs exactly as a pool of
 * one. A thread stays until `close()`.
 *
 * Cancelling a run asks its worker to stop it at its next progress report (as in-process), so
 * that a cancelled run has stopped writing when its promise settles; a queued run leaves the queue.
 * `close()` stops the threads whatever they are doing (a run stuck in a long kernel call too):
 * the tasks they held reject once the threads have stopped.
 */
export class WorkerPoolExecutor implements RunExecutor {
  readonly checkpoints = true;
  private readonly threads: PoolWorker[];
  private readonly queue = new TaskQueue<Queued>();
  /** Recent task time (ms) by kind: sizes the batches of runs and tells whether another thread pays. */
  private readonly taskTimes = new Map<string, number>();
  private readonly idleCores: { reset(): void; read(): number };
  /** Work is queued and threads are left to start: the idle cores are looked at (since `growthCheckedAt`, ms). */
  private growthWatched = false;
  private growthCheckedAt = 0;
  /** A thread started later is loading. */
  private starting = false;
  private readonly batchMs: number;
  private readonly counts = { handOvers: 0, runs: 0, figures: 0 };
  /** The plugin modules every task's worker loads (a prestarted thread has not loaded them yet). */
  private readonly plugins: readonly PluginModuleRef[];
  /** Set by close(): settles once every thread has stopped. */
  private closed: Promise<void> | undefined;

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
    const { idleCores } = options;
    this.idleCores = idleCores ? { reset: () => idleCores(), read: idleCores } : new IdleCores();
    this.plugins = plugins.map(({ name, path }) => ({ name, path }));
    const workerData: WorkerData = { plugins: this.plugins };
    this.threads = [{ thread: takePrestartedWorkerThread() ?? startWorkerThread(workerData), busy: false }];
    while (options.startAll && this.threads.length < workers) this.threads.push({ thread: startWorkerThread(workerData), busy: false });
  }

  /** How the pool has handed work over so far. */
  get stats(): WorkerPoolStats {
    return { ...this.counts, threads: this.threads.length };
  }

  execute(scenario: ResolvedScenario, options: RunTaskOptions = {}): Promise<SweepRunOutcome> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(new Error('the pool of workers is closed'));
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
        this.renderFigure({ kind: 'figure', scenario, plugins: [...this.plugins, ...plugins], dir, index }, signal).catch((error: unknown) => {
          if (!onFailure || signal?.aborted) throw error;
          onFailure({ figure: job.figure.type, dir, error });
          return [];
        }),
      ),
    );
    return files.flat();
  }

  private renderFigure(figure: FigureTask, signal: AbortSignal | undefined): Promise<string[]> {
    return this.job('figure', signal, async (worker) => (await this.threadTask(worker.thread.run(figure))) as string[]);
  }

  /**
   * A run of its own in a worker, its results files and figures written into `dir` there (as
   * `writeRunResults` writes them in-process); `onEvent` sees its run-started event, and its census
   * and progress events at most every 100 ms (and the last ones).
   */
  executeRun(scenario: ResolvedScenario, dir: string, options: RunOptions = {}): Promise<RunResult> {
    const { signal, onEvent, onFigureFailure } = options;
    let plugins: readonly PluginModuleRef[];
    try {
      plugins = this.pluginsOf(scenario);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.job('single', signal, async (worker) => {
      const { port1, port2 } = new MessageChannel();
      const receive = (message: RunTaskMessage) => {
        this.considerGrowth();
        if (message.kind === 'event') onEvent?.(message.event);
        else onFigureFailure?.({ figure: message.figure, dir: message.dir, error: new Error(message.message) });
      };
      const cancel = () => port1.postMessage({ kind: 'cancel', index: 0, reason: reasonOf(signal?.reason) } satisfies CancelMessage);
      port1.on('message', receive);
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        if (signal?.aborted) cancel();
        const outcome = (await this.threadTask(worker.thread.run({ kind: 'run', scenario, dir, plugins: [...this.plugins, ...plugins], port: port2 }, { transferList: [port2] }))) as RunTaskOutcome;
        if ('error' in outcome) throw revivedError(outcome.error);
        return outcome.result;
      } catch (error) {
        throw signal?.aborted ? signal.reason : error;
      } finally {
        // the task's end comes on piscina's channel, which may overtake this one: deliver what is left first
        for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) receive(m.message as RunTaskMessage);
        signal?.removeEventListener('abort', cancel);
        port1.close();
      }
    });
  }

  /** Queues one task that settles its caller's promise itself: a figure (ahead of the runs) or a run of its own. */
  private job<T>(task: 'figure' | 'single', signal: AbortSignal | undefined, start: (worker: PoolWorker) => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(new Error('the pool of workers is closed'));
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        if (this.queue.remove(queued)) reject(signal!.reason);
      };
      const queued: QueuedJob = {
        task,
        kind: task,
        ahead: task === 'figure',
        reject,
        start: async (worker) => {
          signal?.removeEventListener('abort', leave);
          try {
            if (signal?.aborted) throw signal.reason;
            resolve(await start(worker));
          } catch (error) {
            reject(error);
          }
        },
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.queue.add(queued);
      this.dispatch();
    });
  }

  /** Stops the threads, at once: the tasks they hold reject (once every thread has stopped). */
  close(): Promise<void> {
    if (!this.closed) {
      this.growthWatched = false;
      this.closed = Promise.all(this.threads.map((worker) => worker.thread.destroy())).then(() => undefined);
      for (let task = this.queue.take(); task; task = this.queue.take()) task.reject(new Error('the pool of workers is closed'));
    }
    return this.closed;
  }

  /** A task handed to a thread; if close() stopped the thread, it rejects only once every thread has stopped (written its last). */
  private async threadTask<T>(task: Promise<T>): Promise<T> {
    try {
      return await task;
    } catch (error) {
      await this.closed;
      throw error;
    }
  }

  /** Hands queued tasks to free workers. */
  private dispatch(): void {
    if (this.closed) return;
    for (const worker of this.threads) {
      if (worker.busy) continue;
      const task = this.queue.take();
      if (!task) break;
      worker.busy = true;
      this.counts.handOvers++;
      let done: Promise<unknown>;
      if (task.task === 'run') {
        const size = batchSize({
          runMs: this.taskTimes.get(task.kind),
          queued: this.queue.count(task.kind) + 1,
          // the threads started: a pool that stayed at one thread batches as a pool of one
          workers: this.threads.length,
          batchMs: this.batchMs,
          maxBatch: MAX_BATCH,
        });
        const batch = [task, ...(this.queue.takeMore(task.kind, size - 1) as QueuedRun[])];
        this.counts.runs += batch.length;
        done = this.runBatch(worker, batch);
      } else {
        if (task.task === 'figure') this.counts.figures++;
        else this.counts.runs++;
        const started = performance.now();
        done = task.start(worker).finally(() => this.recordTime(task.kind, performance.now() - started));
      }
      void done.finally(() => {
        worker.busy = false;
        this.dispatch();
      });
    }
    this.watchGrowth();
  }

  /** Looks at the idle cores while work is queued and threads are left to start (and only then). */
  private watchGrowth(): void {
    const wanted = !this.closed && this.threads.length < this.workers && this.queue.length > 0;
    if (wanted && !this.growthWatched) {
      this.idleCores.reset();
      this.growthCheckedAt = performance.now();
    }
    this.growthWatched = wanted;
  }

  /**
   * Called as workers report (a run started, its progress — at least every 100 ms while it
   * computes — or its end), never by a timer of its own: a pool that stays at one thread wakes
   * this thread exactly as often as a pool of one.
   */
  private considerGrowth(): void {
    if (!this.growthWatched || performance.now() - this.growthCheckedAt < GROWTH_CHECK_MS) return;
    this.growthCheckedAt = performance.now();
    const idleCores = this.idleCores.read();
    if (this.closed) return;
    const free = this.threads.filter((worker) => !worker.busy).length;
    if (shouldStartWorker({ threads: this.threads.length, workers: this.workers, starting: this.starting, free, queuedMs: this.queuedMs(), idleCores })) this.startThread();
  }

  /** Queued work (ms) by the recent times of its kinds. */
  private queuedMs(): number {
    let ms = 0;
    for (const task of this.queue) ms += this.taskTimes.get(task.kind) ?? UNKNOWN_TASK_MS;
    return ms;
  }

  /** Another thread, which takes tasks once it has loaded srnn and the pool's plugins. */
  private startThread(): void {
    const worker: PoolWorker = { thread: startWorkerThread({ plugins: this.plugins }), busy: true };
    this.threads.push(worker);
    this.starting = true;
    void this.threadTask(worker.thread.run({ kind: 'ready', plugins: this.plugins }))
      // a plugin that fails to load fails the tasks this thread takes, with its error
      .catch(() => undefined)
      .finally(() => {
        this.starting = false;
        worker.busy = false;
        this.dispatch();
      });
  }

  /** Runs a batch in a worker; settles every run's promise as its outcome (or error) arrives. */
  private async runBatch(worker: PoolWorker, batch: readonly QueuedRun[]): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    const settled = new Set<number>();
    const startedAt = batch.map(() => 0);
    const cancels = batch.map((run, index) => () => cancel(port1, index, run.options.signal?.reason));
    const receive = (message: WorkerMessage) => {
      this.considerGrowth();
      const run = batch[message.index];
      if (message.kind === 'started') {
        startedAt[message.index] = performance.now();
        run.options.onStarted?.();
      } else if (message.kind === 'progress') run.options.onProgress?.(message.done, message.total);
      else {
        settled.add(message.index);
        run.options.signal?.removeEventListener('abort', cancels[message.index]);
        if (message.kind === 'finished') {
          this.recordTime(run.kind, performance.now() - startedAt[message.index]);
          run.resolve(message.outcome);
        } else run.reject(run.options.signal?.aborted ? run.options.signal.reason : revivedError(message.error));
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
      const runs = batch.map(({ scenario, plugins, options }) => ({ scenario, plugins, dir: options.dir, checkpoints: options.checkpoints }));
      await this.threadTask(worker.thread.run({ kind: 'runs', runs, plugins: this.plugins, port: port2 }, { transferList: [port2] }));
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

  private recordTime(kind: string, ms: number): void {
    const recent = this.taskTimes.get(kind);
    this.taskTimes.set(kind, recent === undefined ? ms : RECENT_WEIGHT * ms + (1 - RECENT_WEIGHT) * recent);
  }
}

function noScenarioPlugins(scenario: ResolvedScenario): readonly PluginModuleRef[] {
  if (scenario.plugins.length > 0) throw new Error(`plugins: ${scenario.plugins[0]}: this pool loads no plugin modules a scenario names`);
  return [];
}

function cancel(port: MessagePort, index: number, reason: unknown): void {
  port.postMessage({ kind: 'cancel', index, reason: reasonOf(reason) } satisfies CancelMessage);
}

function reasonOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'cancelled');
}
