import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { PluginModuleRef, RunExecutor } from '@srnn/runner';
import { incompatibility, requirementsOf, type RunJobData } from './job-identity';
import { DEFAULT_MAX_RESULT_BYTES, packRunResult, ResultTooLargeError, type RunJobResult } from './job-result';
import { assertRedisReachable, connectionOf, displayUrl, QUEUE_NAME } from './redis-url';

/** How long a job stays with a worker that stopped answering before another may take it (BullMQ's lock). */
export const DEFAULT_LOCK_MS = 30_000;

/** A worker that died mid-job may hand its job on this many times; then the job fails. */
const MAX_STALLED = 2;

/** A job's progress goes to Redis at most this often. */
const PROGRESS_EVERY_MS = 500;

/** How long a stopping worker lets its runs stop by themselves before it stops its threads. */
const STOP_GRACE_MS = 2000;

/** What a worker reports as it goes. */
export type QueueWorkerEvent =
  | { readonly kind: 'started'; readonly job: string; readonly run: string }
  | { readonly kind: 'finished'; readonly job: string; readonly run: string; readonly elapsedMs: number; readonly done: number }
  | { readonly kind: 'failed'; readonly job: string; readonly run: string; readonly message: string }
  | { readonly kind: 'returned'; readonly job: string; readonly run: string }
  | { readonly kind: 'redis-error'; readonly message: string };

export interface QueueWorkerOptions {
  readonly url: string;
  /** Jobs run at the same time (the pool should have as many workers). */
  readonly concurrency: number;
  /** Executes the runs (e.g. an Srnn's pool of worker threads, so that this thread stays free to keep its jobs' locks). */
  readonly pool: RunExecutor;
  /** This worker's plugins: a job that needs others (or another srnn version) is rejected. */
  readonly plugins: readonly PluginModuleRef[];
  /** BullMQ's lock duration and stalled-job check interval (default 30 s). */
  readonly lockMs?: number;
  readonly maxResultBytes?: number;
  readonly onEvent?: (event: QueueWorkerEvent) => void;
}

interface RunningJob {
  readonly job: Job<RunJobData>;
  readonly token: string | undefined;
  readonly abort: AbortController;
  /** Set by stop(): the job's way back to the queue. */
  returning?: Promise<unknown>;
}

/**
 * Takes runs from the queue and executes them in its pool: `srnn worker`. It rejects a job whose
 * srnn version or plugins it does not have (the job fails with that message, which the submitter
 * prints); a run's outcome and files go back as the job's return value. `stop()` returns its
 * running jobs to the queue, where another worker takes them up.
 */
export class QueueWorker {
  /** host:pid, as submitters and messages name it. */
  readonly name = `${hostname()}:${process.pid}`;
  private readonly running = new Map<string, RunningJob>();
  private readonly own;
  private finished = 0;
  private stopping: Promise<void> | undefined;
  private worker!: Worker<RunJobData, RunJobResult>;

  private constructor(private readonly options: QueueWorkerOptions) {
    this.own = requirementsOf(options.plugins);
  }

  /** Connects (a RedisUnreachableError when it cannot) and starts taking jobs. */
  static async start(options: QueueWorkerOptions): Promise<QueueWorker> {
    await assertRedisReachable(options.url);
    const created = new QueueWorker(options);
    const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
    created.worker = new Worker<RunJobData, RunJobResult>(QUEUE_NAME, (job, token) => created.process(job, token), {
      connection: connectionOf(options.url),
      concurrency: options.concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: MAX_STALLED,
      name: created.name,
    });
    created.worker.setMaxListeners(0);
    let lastError = '';
    created.worker.on('error', (error) => {
      // ioredis reconnects by itself: say so once per kind of trouble
      if (error.message === lastError) return;
      lastError = error.message;
      options.onEvent?.({ kind: 'redis-error', message: `Redis at ${displayUrl(options.url)}: ${error.message}` });
    });
    await created.worker.waitUntilReady();
    return created;
  }

  /** Jobs finished by this worker. */
  get done(): number {
    return this.finished;
  }

  /** The runs this worker executes now. */
  get current(): string[] {
    return [...this.running.values()].map(({ job }) => job.data.run);
  }

  /**
   * Takes no further job, stops the running runs and returns their jobs to the queue, then
   * closes the connection and the pool.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const closing = this.worker.close();
      for (const running of this.running.values()) {
        running.abort.abort(new Error('the worker stops'));
        // back to the queue at once, unchanged: another worker (or this one, restarted) runs it
        running.returning = running.job.moveToWait(running.token).catch(() => undefined);
      }
      const stopped = await Promise.race([closing.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, STOP_GRACE_MS, false).unref())]);
      // a run stuck in a long kernel call: stopping the threads makes it reject
      if (!stopped) await this.options.pool.close();
      await closing;
      await this.options.pool.close();
    })();
    return this.stopping;
  }

  private async process(job: Job<RunJobData>, token: string | undefined): Promise<RunJobResult> {
    const { data } = job;
    const id = job.id ?? '?';
    const why = data?.scenario ? incompatibility(data, this.own, this.name) : `job ${id} is not an srnn run`;
    if (why) {
      this.options.onEvent?.({ kind: 'failed', job: id, run: data?.run ?? '?', message: why });
      throw new UnrecoverableError(why);
    }
    const abort = new AbortController();
    const running: RunningJob = { job, token, abort };
    this.running.set(id, running);
    const temporary = mkdtempSync(join(tmpdir(), 'srnn-job-'));
    const started = performance.now();
    this.options.onEvent?.({ kind: 'started', job: id, run: data.run });
    try {
      const dir = join(temporary, 'run');
      let last = 0;
      const outcome = await this.options.pool.execute(data.scenario, {
        dir,
        signal: abort.signal,
        onProgress: (done, total) => {
          const now = performance.now();
          if (now - last < PROGRESS_EVERY_MS && done < total) return;
          last = now;
          job.updateProgress({ done, total }).catch(() => undefined);
        },
      });
      if (this.stopping) throw new Error('the worker stops');
      const result = packRunResult(outcome, dir, this.name, this.options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES);
      this.finished++;
      this.options.onEvent?.({ kind: 'finished', job: id, run: data.run, elapsedMs: performance.now() - started, done: this.finished });
      return result;
    } catch (error) {
      if (this.stopping) {
        await (running.returning ?? job.moveToWait(token));
        this.options.onEvent?.({ kind: 'returned', job: id, run: data.run });
        throw new WaitingError();
      }
      const message = error instanceof ResultTooLargeError ? error.message : (error as Error).message || String(error);
      this.options.onEvent?.({ kind: 'failed', job: id, run: data.run, message });
      throw new UnrecoverableError(message);
    } finally {
      this.running.delete(id);
      rmSync(temporary, { recursive: true, force: true });
    }
  }
}
