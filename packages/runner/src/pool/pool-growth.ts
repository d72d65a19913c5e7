/** What decides whether a pool starts another worker thread. */
export interface GrowthState {
  /** Threads started so far, and the most the pool may start. */
  readonly threads: number;
  readonly workers: number;
  /** A thread is still loading. */
  readonly starting: boolean;
  /** Started threads with nothing to do. */
  readonly free: number;
  /** Queued work (ms), estimated from the recent times of its kinds. */
  readonly queuedMs: number;
  /** Cores the machine left idle lately. */
  readonly idleCores: number;
}

/** A new thread loads srnn's modules and warms its JIT (≈ 0.35 s of a core): queued work must be at least this long to pay for it. */
export const MIN_QUEUED_MS = 1000;

/** Idle cores needed: a thread on a busy machine takes CPU from this process's own threads (and V8's). */
export const MIN_IDLE_CORES = 0.6;

/**
 * Another worker thread pays only when every thread is busy, the queue holds work enough to pay
 * for its start, and a core is idle for it — so that N workers are never slower than one: on a
 * busy machine the pool stays at one thread.
 */
export function shouldStartWorker({ threads, workers, starting, free, queuedMs, idleCores }: GrowthState): boolean {
  return threads < workers && !starting && free === 0 && queuedMs >= MIN_QUEUED_MS && idleCores >= MIN_IDLE_CORES;
}
