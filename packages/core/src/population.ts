/**
 * P particles of one architecture: all weights in one Float32Array [P × W], plus per-particle
 * metadata. Uids are unique within a run and never reused.
 */
export class Population {
  readonly weights: Float32Array;
  readonly uid: Float64Array;
  readonly birthStep: Float64Array;
  /** uid of the parent, or -1 for particles created from nothing. */
  readonly parentUid: Float64Array;
  private nextUid = 0;

  constructor(
    readonly size: number,
    readonly weightCount: number,
  ) {
    this.weights = new Float32Array(size * weightCount);
    this.uid = new Float64Array(size);
    this.birthStep = new Float64Array(size);
    this.parentUid = new Float64Array(size).fill(-1);
    for (let i = 0; i < size; i++) this.uid[i] = this.nextUid++;
  }

  /** View (not a copy) of particle i's weights. */
  weightsOf(i: number): Float32Array {
    return this.weights.subarray(i * this.weightCount, (i + 1) * this.weightCount);
  }

  /** Gives slot i a new particle identity (its weights are the caller's to set). */
  rebirth(i: number, step: number, parentUid = -1): number {
    this.uid[i] = this.nextUid++;
    this.birthStep[i] = step;
    this.parentUid[i] = parentUid;
    return this.uid[i];
  }

  /** Uids handed out so far (the next particle's uid). */
  get uidsIssued(): number {
    return this.nextUid;
  }

  /** Takes the state of a checkpoint: every slot's weights and identity, and the uids issued. */
  restore(state: { weights: Float32Array; uid: Float64Array; birthStep: Float64Array; parentUid: Float64Array; nextUid: number }): void {
    this.weights.set(state.weights);
    this.uid.set(state.uid);
    this.birthStep.set(state.birthStep);
    this.parentUid.set(state.parentUid);
    this.nextUid = state.nextUid;
  }

  /** Indices 0 … P-1, the batch of the whole population. */
  all(): Int32Array {
    const index = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) index[i] = i;
    return index;
  }
}
