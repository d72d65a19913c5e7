import { cpus } from 'node:os';

interface Sample {
  /** Idle time of every core together (ms). */
  readonly idle: number;
  readonly at: number;
}

function sample(): Sample {
  return { idle: cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0), at: performance.now() };
}

/**
 * How many cores the machine left idle: another worker thread pays only on a core nobody else
 * uses (on a busy machine it competes with this process's own threads — V8's compiler and
 * collector run on background threads — and costs a module load and a JIT warm-up).
 */
export class IdleCores {
  private last = sample();

  /** Starts a new measuring interval. */
  reset(): void {
    this.last = sample();
  }

  /** Idle cores (0 … the core count), averaged since the previous call; Infinity where the system does not tell. */
  read(): number {
    const now = sample();
    const elapsed = now.at - this.last.at;
    const idle = now.idle - this.last.idle;
    this.last = now;
    if (cpus().length === 0 || elapsed <= 0) return Number.POSITIVE_INFINITY;
    return Math.max(0, idle / elapsed);
  }
}
