import type { Rng } from './random';

/** Rows `index[k]` of a [rows × W] weight matrix: the batch a kernel works on. */
export interface WeightBatch {
  readonly data: Float32Array;
  readonly index: Int32Array;
}

export interface TrainOptions {
  readonly lr: number;
  /** PyTorch-style momentum: buf ← momentum·buf + grad; w ← w − lr·buf. 0 = plain SGD. */
  readonly momentum: number;
  /** One persistent buffer row per trained network (same batch positions as `params`); needed when momentum > 0. */
  readonly momentumBuffer?: WeightBatch;
  /** 'full': one step on all samples; 1: one epoch of single-sample steps in a random order drawn from `rng`. */
  readonly batch: 'full' | 1;
  readonly rng?: Rng;
}

/**
 * Batched numerics of one network shape on one backend. Entries of a batch must be independent:
 * an output row may alias its own entry's inputs but no other entry's.
 */
export interface NetworkKernels {
  /** Number of training samples one network yields (rows for weightwise, 1 for reduced nets). */
  readonly samplesPerNetwork: number;
  /** out[k] ← fn[k] ◁ input[k]: the function of network fn[k] rewrites the weights input[k]. */
  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void;
  /**
   * One training step (or, with batch 1, one epoch) of params[k] on the samples of data[k], whose
   * weights are also the targets; inputs and targets are taken before the update. `loss[k]` gets the
   * loss computed before the update (mean over samples). Self-training is data = params.
   */
  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void;
  dispose(): void;
}

/**
 * One architecture with its options fixed: what a population is made of. Its kernels come from the
 * KernelProvider registered for (`type`, backend); a shape exposes what its providers need (layout,
 * activation, …).
 */
export interface NetworkShape {
  readonly type: string;
  readonly weightCount: number;
  /** Names of the random initialisation schemes the network supports; the first is the default. */
  readonly initSchemes: readonly string[];
  /** Writes one particle's random initial weights into out[0, W). */
  initialize(scheme: string, out: Float32Array, rng: Rng): void;
}
