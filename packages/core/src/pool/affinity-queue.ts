/** A task waiting for a worker. */
export interface AffinityTask {
  /** What code it runs: a worker that has run tasks of the same affinity has that code compiled and optimised. */
  readonly affinity: string;
  /** Goes ahead of the other tasks (behind those queued ahead before it). */
  readonly ahead?: boolean;
}

/** How many times a queued task may be passed over for later tasks before it is taken next. */
export const MAX_PASSED_OVER = 16;

/**
 * The pool's queue: first come, first served, except that a task is left to a worker that has run
 * tasks of its affinity before (a worker thread compiles and optimises the code it runs on its
 * own, and for short runs that warm-up costs as much as the runs): a worker takes the first task
 * of an affinity it has run, or that no worker has run, skipping those another worker has run —
 * unless nothing else is queued, or the task has been passed over MAX_PASSED_OVER times.
 */
export class AffinityQueue<T extends AffinityTask> {
  private readonly tasks: { task: T; passedOver: number }[] = [];

  get length(): number {
    return this.tasks.length;
  }

  add(task: T): void {
    const entry = { task, passedOver: 0 };
    if (!task.ahead) {
      this.tasks.push(entry);
      return;
    }
    const behind = this.tasks.findIndex((queued) => !queued.task.ahead);
    this.tasks.splice(behind < 0 ? this.tasks.length : behind, 0, entry);
  }

  /** Takes a task out of the queue (e.g. its caller gave up); false when it is not queued. */
  remove(task: T): boolean {
    const index = this.tasks.findIndex((queued) => queued.task === task);
    if (index < 0) return false;
    this.tasks.splice(index, 1);
    return true;
  }

  /**
   * The task for a worker that has run the affinities `warm`; `warmElsewhere` tells whether
   * another worker has run an affinity.
   */
  take(warm: ReadonlySet<string>, warmElsewhere: (affinity: string) => boolean = () => false): T | undefined {
    if (this.tasks.length === 0) return undefined;
    let index = this.tasks.findIndex(({ task, passedOver }) => warm.has(task.affinity) || !warmElsewhere(task.affinity) || passedOver >= MAX_PASSED_OVER);
    if (index < 0) index = 0;
    for (let i = 0; i < index; i++) this.tasks[i].passedOver++;
    return this.tasks.splice(index, 1)[0].task;
  }

  /** Takes up to `count` further tasks of an affinity that `accept`s them, in queue order. */
  takeMore(affinity: string, count: number, accept: (task: T) => boolean = () => true): T[] {
    const taken: T[] = [];
    for (let i = 0; i < this.tasks.length && taken.length < count; ) {
      const { task } = this.tasks[i];
      if (task.affinity === affinity && accept(task)) {
        taken.push(task);
        this.tasks.splice(i, 1);
      } else i++;
    }
    return taken;
  }

  /** Queued tasks of an affinity that `accept`s them. */
  count(affinity: string, accept: (task: T) => boolean = () => true): number {
    return this.tasks.reduce((n, { task }) => n + (task.affinity === affinity && accept(task) ? 1 : 0), 0);
  }
}

/** What sizes a batch of runs. */
export interface BatchSizing {
  /** Recent run time of the affinity (ms), unknown before one has finished. */
  readonly runMs: number | undefined;
  /** Runs of the affinity still queued, the first of the batch included. */
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
