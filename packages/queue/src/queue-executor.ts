import { setMaxListeners } from 'node:events';
import { basename } from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { ResolvedScenario, RunResult } from '@srnn/core';
import type { PluginModuleRef, RenderFiguresOptions, RunExecutor, RunOptions, RunTaskOptions, SweepRunOutcome } from '@srnn/runner';
import { jobIdOf, requirementsOf, type JobRequirements, type RunJobData } from './job-identity';
import { unpackRunResult, type RunJobResult } from './job-result';
import { assertRedisReachable, connectionOf, displayUrl, QUEUE_NAME } from './redis-url';

/** How long a finished job (and its results) stays in Redis: a submitter restarted within it picks them up. */
export const DEFAULT_KEEP_SECONDS = 7 * 24 * 3600;

/** The events stream holds this many events at most (each finished job's event holds its compressed results). */
const MAX_EVENTS = 1000;

export interface QueueExecutorOptions {
  /** redis:// or rediss:// URL (host, port, password, /db), as ioredis reads it. */
  readonly url: string;
  /** The submitter's plugins: every job requires them (names and versions) of its worker. */
  readonly plugins: readonly PluginModuleRef[];
  /** Draws the figures of a results directory and runs single runs (`executeRun`) here; closed with this executor. */
  readonly local: RunExecutor;
  /** How long finished jobs stay in Redis (default: a week). */
  readonly keepSeconds?: number;
  /** What the jobs require of a worker (default: this srnn's version and `plugins`); tests change it. */
  readonly requirements?: JobRequirements;
}

/** A run's job left the queue before it finished. */
class JobRemovedError extends Error {}

/** What the caller of a queued run listens to. */
interface Listener {
  readonly options: RunTaskOptions;
  readonly removed: (reason: string) => void;
}

/**
 * Executes runs as BullMQ jobs on the `srnn worker`s of a Redis: a job per run, with an id
 * derived from what the run's result depends on (jobIdOf), so that submitting the same sweep
 * again adds nothing and picks up the runs already finished. A worker runs the job in its own
 * pool and returns the run's outcome and files, compressed (job-result.ts); this process writes
 * them into the run's directory, so that it alone writes the results directory, with the usual
 * atomic rules of the sweep. A job that fails fails its run with the worker's message (BullMQ
 * retries nothing: one attempt; a worker that died mid-job hands it on through stalled-job
 * recovery). Figures and single runs are done by the `local` executor.
 */
export class QueueExecutor implements RunExecutor {
  private readonly listeners = new Map<string, Listener>();
  /** Workers that returned results to this executor. */
  private readonly seen = new Set<string>();
  private readonly requirements: JobRequirements;
  private closed = false;

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly options: QueueExecutorOptions,
    /** Workers connected when this executor connected. */
    private readonly connectedWorkers: number,
  ) {
    this.requirements = options.requirements ?? requirementsOf(options.plugins);
    // every waiting run listens for its job's events, and BullMQ adds a listener per command in flight
    this.events.setMaxListeners(0);
    this.queue.setMaxListeners(0);
    this.events.on('active', ({ jobId }) => this.listeners.get(jobId)?.options.onStarted?.());
    this.events.on('progress', ({ jobId, data }) => {
      const progress = data as { done?: unknown; total?: unknown };
      if (typeof progress?.done === 'number' && typeof progress.total === 'number') this.listeners.get(jobId)?.options.onProgress?.(progress.done, progress.total);
    });
    this.events.on('removed', ({ jobId }) => this.listeners.get(jobId)?.removed('its job was removed from the queue (by another submitter of the same sweep that stopped?); submit the sweep again'));
  }

  /** Connects to the Redis of `options.url`: a RedisUnreachableError when it cannot. */
  static async connect(options: QueueExecutorOptions): Promise<QueueExecutor> {
    await assertRedisReachable(options.url);
    const connection = connectionOf(options.url);
    const queue = new Queue(QUEUE_NAME, { connection, streams: { events: { maxLen: MAX_EVENTS } } });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    // reconnection is ioredis's job; a lasting outage shows as runs that do not finish
    const warn = (error: Error) => process.emitWarning(`srnn: Redis at ${displayUrl(options.url)}: ${error.message}`);
    queue.on('error', warn);
    events.on('error', warn);
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      return new QueueExecutor(queue, events, options, await queue.getWorkersCount());
    } catch (error) {
      await Promise.allSettled([queue.close(), events.close()]);
      throw error;
    }
  }

  /** The workers seen: connected at start, or that returned results since. */
  get workers(): number {
    return Math.max(1, this.connectedWorkers, this.seen.size);
  }

  async execute(scenario: ResolvedScenario, options: RunTaskOptions = {}): Promise<SweepRunOutcome> {
    const { signal, dir } = options;
    if (signal?.aborted) throw signal.reason;
    const data: RunJobData = { ...this.requirements, run: dir === undefined ? 'run' : basename(dir), scenario };
    const jobId = jobIdOf(data);
    let job: Job | undefined;
    let removed: ((reason: string) => void) | undefined;
    const gone = new Promise<never>((_resolve, reject) => (removed = (reason) => reject(new JobRemovedError(`${data.run}: ${reason}`))));
    gone.catch(() => undefined);
    this.listeners.set(jobId, { options, removed: removed! });
    const aborted = abortPromise(signal);
    try {
      job = await this.queue.add('run', data, { jobId, attempts: 1, removeOnComplete: { age: this.keepSeconds }, removeOnFail: { age: this.keepSeconds } });
      const state = await job.getState();
      // a new submission runs a failed job once more (e.g. after its worker got the missing plugin)
      if (state === 'failed') await job.retry('failed');
      else if (state === 'active') options.onStarted?.();
      let result: RunJobResult;
      try {
        result = (await Promise.race([job.waitUntilFinished(this.events), gone, aborted])) as RunJobResult;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof JobRemovedError) throw error;
        throw new Error(`${data.run}: ${(error as Error).message}`, { cause: error });
      }
      if (signal?.aborted) throw signal.reason;
      this.seen.add(result.worker);
      return unpackRunResult(result, dir);
    } catch (error) {
      // a stopped sweep takes back its jobs that have not started (those running finish, for a later submission)
      if (signal?.aborted && job) await this.removeIfWaiting(job);
      throw error;
    } finally {
      this.listeners.delete(jobId);
    }
  }

  renderFigures(dir: string, scenario: ResolvedScenario, options?: RenderFiguresOptions): Promise<string[]> {
    return this.options.local.renderFigures(dir, scenario, options);
  }

  executeRun(scenario: ResolvedScenario, dir: string, options?: RunOptions): Promise<RunResult> {
    return this.options.local.executeRun(scenario, dir, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.queue.close(), this.events.close(), this.options.local.close()]);
  }

  private get keepSeconds(): number {
    return this.options.keepSeconds ?? DEFAULT_KEEP_SECONDS;
  }

  private async removeIfWaiting(job: Job): Promise<void> {
    try {
      const state = await job.getState();
      if (state === 'waiting' || state === 'prioritized' || state === 'delayed') await job.remove();
    } catch {
      // taken by a worker meanwhile: it finishes the run, whose result waits for a later submission
    }
  }
}

/** Rejects with the signal's reason once it aborts (never without a signal). */
function abortPromise(signal: AbortSignal | undefined): Promise<never> {
  const promise = new Promise<never>((_resolve, reject) => {
    if (!signal) return;
    setMaxListeners(0, signal);
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  promise.catch(() => undefined);
  return promise;
}
