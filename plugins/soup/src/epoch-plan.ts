/**
 * The interactions of one epoch, in the order they happen (plan order), and a batched way to run
 * them with the same result.
 *
 * Each planned interaction touches one or two slots. It gets a *wave*: one more than the latest
 * wave of an earlier interaction touching one of its slots. Interactions of one wave touch
 * disjoint slots, and every interaction comes after all earlier ones it shares a slot with, so
 * running wave after wave — each wave as one kernel batch per interaction type — gives exactly the
 * weights of running them one by one in plan order: a particle attacked earlier in the epoch acts
 * with its new weights.
 */
export class EpochPlan {
  /** Number of planned interactions. */
  count = 0;
  /** Per planned interaction: the soup entry (its code), actor slot, partner slot, wave (from 1). */
  readonly code: Uint8Array;
  readonly actor: Int32Array;
  readonly partner: Int32Array;
  private readonly wave: Int32Array;
  private readonly lastWave: Int32Array;
  private maxWave = 0;
  private counts = new Int32Array(0);
  /** Planned interactions by (wave, code), plan order within a group. */
  private readonly sorted: Int32Array;

  constructor(
    readonly capacity: number,
    populationSize: number,
    private readonly codeCount: number,
  ) {
    this.code = new Uint8Array(capacity);
    this.actor = new Int32Array(capacity);
    this.partner = new Int32Array(capacity);
    this.wave = new Int32Array(capacity);
    this.sorted = new Int32Array(capacity);
    this.lastWave = new Int32Array(populationSize);
  }

  clear(): void {
    this.count = 0;
    this.maxWave = 0;
    this.lastWave.fill(0);
  }

  add(code: number, actor: number, partner: number): void {
    const last = this.lastWave;
    const wave = (last[actor] > last[partner] ? last[actor] : last[partner]) + 1;
    last[actor] = wave;
    last[partner] = wave;
    if (wave > this.maxWave) this.maxWave = wave;
    const n = this.count++;
    this.code[n] = code;
    this.actor[n] = actor;
    this.partner[n] = partner;
    this.wave[n] = wave;
  }

  /**
   * Calls `run(code, from, to)` for every group of interactions that may run as one batch — waves in
   * order, codes in order within a wave; `order()[from, to)` are the group's indices into the plan.
   */
  forEachGroup(run: (code: number, from: number, to: number) => void): void {
    const n = this.count;
    const E = this.codeCount;
    const keys = this.maxWave * E;
    if (this.counts.length < keys + 1) this.counts = new Int32Array(keys + 1);
    const counts = this.counts;
    counts.fill(0, 0, keys + 1);
    for (let o = 0; o < n; o++) counts[(this.wave[o] - 1) * E + this.code[o] + 1]++;
    for (let k = 1; k <= keys; k++) counts[k] += counts[k - 1];
    for (let o = 0; o < n; o++) this.sorted[counts[(this.wave[o] - 1) * E + this.code[o]]++] = o;
    // counts[k] is now the end of group k (the start of group k + 1)
    let from = 0;
    for (let k = 0; k < keys; k++) {
      const to = counts[k];
      if (to > from) run(k % E, from, to);
      from = to;
    }
  }

  /** Indices into the plan, grouped by `forEachGroup`. */
  order(): Int32Array {
    return this.sorted;
  }
}
