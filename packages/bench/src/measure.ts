/** Something to time: one call makes `nets` networks take one step each. */
export interface Workload {
  /** Networks that take one step per call (the population size P). */
  readonly nets: number;
  /** One call of the kernel under test. */
  step(): void;
  /** Puts the initial weights back (untimed, before every repetition). */
  reset(): void;
  /**
   * Re-initialises networks whose weights left the range where timing is representative
   * (non-finite, huge, or subnormal); untimed, between chunks. Returns how many it restored.
   */
  heal(): number;
}

export interface MeasureOptions {
  /** Timed seconds of one repetition (at least one call is always made). */
  readonly seconds: number;
  readonly repeats: number;
  /** Seconds of untimed calls first, for the JIT (and tfjs' kernel compilation). */
  readonly warmupSeconds: number;
  /** A case whose single call takes longer than this (after warm-up) is skipped. */
  readonly maxCallSeconds: number;
}

export interface Measurement {
  /** Median over the repetitions. */
  readonly netStepsPerSecond: number;
  /** One rate per repetition. */
  readonly samples: readonly number[];
  /** Calls made per timed chunk (the clock is read around each chunk). */
  readonly chunk: number;
  /** Timed calls over all repetitions. */
  readonly calls: number;
  readonly timedSeconds: number;
  /** Networks re-initialised because their weights diverged, vanished into subnormals or died. */
  readonly restored: number;
}

export interface Skipped {
  readonly skipped: string;
}

/** Clock reads around chunks no shorter than this keep timer overhead and jitter negligible. */
const MIN_CHUNK_SECONDS = 0.002;

const now = () => performance.now() / 1000;

/**
 * Warm-up (also finds a chunk of calls lasting ≥ 2 ms), then `repeats` repetitions, each
 * calling the kernel in timed chunks until `seconds` have elapsed; weights are reset before
 * each repetition and unhealthy networks restored between chunks, outside the clock.
 */
export function measure(workload: Workload, options: MeasureOptions): Measurement | Skipped {
  workload.reset();
  let chunk = 1;
  const warmupEnd = now() + options.warmupSeconds;
  for (let first = true; ; first = false) {
    const t0 = now();
    for (let i = 0; i < chunk; i++) workload.step();
    const dt = now() - t0;
    workload.heal();
    // The first call of a tfjs kernel compiles it; judge the cost of a call by the later ones
    // (unless the first alone is far beyond the limit).
    const perCall = dt / chunk;
    if (perCall > (first ? 4 : 1) * options.maxCallSeconds) {
      return { skipped: `one call takes ${formatSeconds(perCall)} (limit ${formatSeconds(options.maxCallSeconds)})` };
    }
    if (dt < MIN_CHUNK_SECONDS) chunk *= 2;
    if (now() >= warmupEnd && !first) break;
  }

  const samples: number[] = [];
  let calls = 0;
  let timed = 0;
  let restored = 0;
  for (let r = 0; r < options.repeats; r++) {
    workload.reset();
    let repCalls = 0;
    let elapsed = 0;
    do {
      const t0 = now();
      for (let i = 0; i < chunk; i++) workload.step();
      elapsed += now() - t0;
      repCalls += chunk;
      restored += workload.heal();
    } while (elapsed < options.seconds);
    samples.push((repCalls * workload.nets) / elapsed);
    calls += repCalls;
    timed += elapsed;
  }
  return { netStepsPerSecond: median(samples), samples, chunk, calls, timedSeconds: timed, restored };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function formatSeconds(seconds: number): string {
  return seconds >= 1 ? `${seconds.toFixed(1)} s` : `${(seconds * 1000).toFixed(seconds >= 0.01 ? 0 : 2)} ms`;
}
