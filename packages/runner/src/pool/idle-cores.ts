import { cpus } from 'node:os';

interface Sample {
  /** Idle time of every core together (ms). */
  readonly idle: number;
  readonly at: number;
}

function sample(): Sample {
  return { idle: cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0), at: performance.now() };
}

/** How long the idle cores are averaged over (ms): a moment of idleness on a busy machine does not count. */
export const IDLE_WINDOW_MS = 500;

/**
 * How many cores the machine left idle lately: another worker thread pays only on a core nobody
 * else uses (on a busy machine it competes with this process's own threads — V8's compiler and
 * collector run on background threads — and costs a module load and a JIT warm-up).
 */
export class IdleCores {
  private samples: Sample[] = [sample()];

  /** Forgets what was measured: read() measures from now on. */
  reset(): void {
    this.samples = [sample()];
  }

  /**
   * Idle cores (0 … the core count), averaged over the last IDLE_WINDOW_MS; 0 until that long has
   * been measured since reset(); Infinity where the system does not tell.
   */
  read(): number {
    if (cpus().length === 0) return Number.POSITIVE_INFINITY;
    const now = sample();
    while (this.samples.length > 1 && now.at - this.samples[1].at >= IDLE_WINDOW_MS) this.samples.shift();
    this.samples.push(now);
    const first = this.samples[0];
    const elapsed = now.at - first.at;
    if (elapsed < IDLE_WINDOW_MS) return 0;
    return Math.max(0, (now.idle - first.idle) / elapsed);
  }
}
