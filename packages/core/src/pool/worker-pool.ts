import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { PluginModuleRef } from '../plugin-loader';
import type { PluginRegistry } from '../registry';
import { figureJobs } from '../render-figures';
import type { ResolvedScenario } from '../scenario/schema';
import type { SweepRunOutcome } from '../sweep/sweep-runner';
import type { RunExecutor, RunTaskOptions } from './run-executor';
import type { FigureTask, WorkerData, WorkerMessage, WorkerTask } from './run-worker';

/** The default number of workers: one per core this process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Runs in a pool of worker threads (piscina). Each worker builds its own Srnn once, with the
 * plugin modules the pool was given (those of the creating Srnn), and loads a scenario's own
 * `plugins:` files when a run names them. A run's files are written by its worker into the
 * directory it was given; its progress and its outcome come back as messages.
 *
 * Runs start in the order they were queued (piscina gets one per worker at a time); figures are
 * drawn in the workers too, ahead of the queued runs. Cancelling a run asks its worker to stop it
 * at its next progress report (as in-process), so that a cancelled run has stopped writing when
 * its promise settles; a queued run leaves the queue.
 */
export class WorkerPoolExecutor implements RunExecutor {
  private readonly pool: Piscina<WorkerTask, SweepRunOutcome | string[]>;
  /** Runs handed to piscina (at most one per worker); the others wait here, first come first served. */
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly workers: number,
    plugins: readonly PluginModuleRef[],
    /** The creating Srnn's registry: which figures a results directory gets (the workers hold the same plugins). */
    private readonly registry: PluginRegistry,
  ) {
    const workerData: WorkerData = { plugins: plugins.map(({ name, path }) => ({ name, path })) };
    this.pool = new Piscina({
      filename: join(__dirname, 'run-worker.js'),
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      // one run per worker at a time; workers wait on their message port, not in Atomics.wait
      concurrentTasksPerWorker: 1,
      atomics: 'disabled',
      workerData,
    });
  }

  async execute(scenario: ResolvedScenario, options: RunTaskOptions = {}): Promise<SweepRunOutcome> {
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    await this.slot(signal);
    try {
      return await this.run(scenario, options);
    } finally {
      this.release();
    }
  }

  private async run(scenario: ResolvedScenario, options: RunTaskOptions): Promise<SweepRunOutcome> {
    const { signal, onStarted, onProgress } = options;
    if (signal?.aborted) throw signal.reason;
    const { port1, port2 } = new MessageChannel();
    const receive = (message: WorkerMessage) => {
      if (message.kind === 'started') onStarted?.();
      else if (message.kind === 'progress') onProgress?.(message.done, message.total);
    };
    port1.on('message', receive);
    const cancel = () => port1.postMessage({ kind: 'cancel', reason: reasonText(signal?.reason) });
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const task: WorkerTask = { kind: 'run', scenario, dir: options.dir, port: port2 };
      const outcome = (await this.pool.run(task, { transferList: [port2] })) as SweepRunOutcome;
      // the outcome comes on piscina's channel, which may overtake this one: deliver what is left first
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) receive(m.message as WorkerMessage);
      return outcome;
    } catch (error) {
      // a run cancelled in its worker rejects with the same reason as one cancelled in-process
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      port1.close();
    }
  }

  /** One task per figure, so that the figures of one directory are drawn side by side. */
  async renderFigures(dir: string, scenario: ResolvedScenario, options: { readonly signal?: AbortSignal } = {}): Promise<string[]> {
    const jobs = figureJobs(scenario, this.registry);
    const files = await Promise.all(jobs.map((_, index) => this.renderFigure({ kind: 'figure', scenario, dir, index }, options.signal)));
    return files.flat();
  }

  private async renderFigure(task: FigureTask, signal: AbortSignal | undefined): Promise<string[]> {
    if (signal?.aborted) throw signal.reason;
    await this.slot(signal, true);
    try {
      return (await this.pool.run(task)) as string[];
    } finally {
      this.release();
    }
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  /**
   * Waits for a free worker, in the order runs were queued (`first`: ahead of them); an abort
   * while waiting leaves the queue.
   */
  private slot(signal: AbortSignal | undefined, first = false): Promise<void> {
    if (this.active < this.workers) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const take = () => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', leave, { once: true });
      if (first) this.waiting.unshift(take);
      else this.waiting.push(take);
    });
  }

  /** Hands the slot to the next waiting run (which then counts as active), or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'cancelled');
}
