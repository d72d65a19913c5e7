/** A task waiting for a worker. */
export interface QueuedTask {
  /** Tasks of one kind run the same code (runs: the same experiment and network types). */
  readonly kind: string;
  /** Goes ahead of the other tasks (behind those queued ahead before it). */
  readonly ahead?: boolean;
}

/** The pool's queue: first come, first served, with tasks queued `ahead` in front of the others. */
export class TaskQueue<T extends QueuedTask> {
  private readonly tasks: T[] = [];

  get length(): number {
    return this.tasks.length;
  }

  add(task: T): void {
    if (!task.ahead) {
      this.tasks.push(task);
      return;
    }
    const behind = this.tasks.findIndex((queued) => !queued.ahead);
    this.tasks.splice(behind < 0 ? this.tasks.length : behind, 0, task);
  }

  /** Takes a task out of the queue (e.g. its caller gave up); false when it is not queued. */
  remove(task: T): boolean {
    const index = this.tasks.indexOf(task);
    if (index < 0) return false;
    this.tasks.splice(index, 1);
    return true;
  }

  /** The next task. */
  take(): T | undefined {
    return this.tasks.shift();
  }

  /** Takes up to `count` further tasks of a kind, in queue order. */
  takeMore(kind: string, count: number): T[] {
    const taken: T[] = [];
    for (let i = 0; i < this.tasks.length && taken.length < count;) {
      if (this.tasks[i].kind === kind) taken.push(...this.tasks.splice(i, 1));
      else i++;
    }
    return taken;
  }

  /** The queued tasks, in queue order. */
  [Symbol.iterator](): Iterator<T> {
    return this.tasks[Symbol.iterator]();
  }

  /** Queued tasks of a kind. */
  count(kind: string): number {
    return this.tasks.reduce((n, task) => n + (task.kind === kind ? 1 : 0), 0);
  }
}

/** What sizes a batch of runs. */
export interface BatchSizing {
  /** Recent run time of the kind (ms), unknown before one has finished. */
  readonly runMs: number | undefined;
  /** Runs of the kind still queued, the first of the batch included. */
  readonly queued: number;
  readonly workers: number;
  /** What a batch aims at (ms). */
  readonly batchMs: number;
  readonly maxBatch: number;
}

/**
 * Runs per batch: as many as fit `batchMs` by the recent run time (one while it is unknown), and
 * at most the share `queued / (2 × workers)` — batches shrink as the queue drains, so that the
 * workers finish together.
 */
export function batchSize({ runMs, queued, workers, batchMs, maxBatch }: BatchSizing): number {
  if (runMs === undefined) return 1;
  const byTime = Math.floor(batchMs / Math.max(runMs, 1e-3));
  const byShare = Math.ceil(queued / (2 * workers));
  return Math.max(1, Math.min(byTime, byShare, maxBatch));
}
