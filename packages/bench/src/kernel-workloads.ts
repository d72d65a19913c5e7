import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';
import { WeightwiseNetwork } from '@srnn/weightwise';
import type { Workload } from './measure';

/** The paper's network: weightwise 4 → 2 → 2 → 1, linear, no bias, PyTorch layout (14 weights). */
export function paperNetwork(): WeightwiseNetwork {
  return new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });
}

/** P random networks (the shape's default init) from the seed's "init" stream. */
export { randomPopulation } from '@srnn/testing';

export type KernelBenchmark = 'self-train' | 'self-train-momentum' | 'self-application';

export const KERNEL_BENCHMARKS: readonly KernelBenchmark[] = ['self-train', 'self-train-momentum', 'self-application'];

export const SELF_TRAIN_LR = 0.04;
export const MOMENTUM = 0.9;

/** Largest |weight| still timed as is; beyond it the network counts as diverged and is re-initialised. */
const HUGE = 1e6;
/** Below float32's smallest normal: subnormal arithmetic can be many times slower than normal. */
const TINY = 1.1754943508222875e-38;

/**
 * A population of P copies of the shape on one backend, trained on itself (full batch) or applied to
 * itself in place, exactly as the self-train / self-application experiments call the kernels.
 */
export class KernelWorkload implements Workload {
  private readonly weights: Float32Array;
  private readonly batch: WeightBatch;
  private readonly options: TrainOptions;
  private readonly loss: Float32Array;

  constructor(
    private readonly kernels: NetworkKernels,
    readonly benchmark: KernelBenchmark,
    private readonly initial: Float32Array,
    private readonly weightCount: number,
  ) {
    this.weights = initial.slice();
    const P = initial.length / weightCount;
    const index = Int32Array.from({ length: P }, (_, i) => i);
    this.batch = { data: this.weights, index };
    this.loss = new Float32Array(P);
    const momentum = benchmark === 'self-train-momentum' ? MOMENTUM : 0;
    this.options = {
      lr: SELF_TRAIN_LR,
      momentum,
      batch: 'full',
      momentumBuffer: momentum > 0 ? { data: new Float32Array(initial.length), index } : undefined,
    };
    this.step = benchmark === 'self-application' ? this.apply : this.train;
  }

  get nets(): number {
    return this.batch.index.length;
  }

  readonly step: () => void;

  private readonly train = (): void => {
    this.kernels.train(this.batch, this.batch, this.options, this.loss);
  };

  private readonly apply = (): void => {
    this.kernels.apply(this.batch, this.batch, this.batch);
  };

  reset(): void {
    this.weights.set(this.initial);
    this.options.momentumBuffer?.data.fill(0);
  }

  heal(): number {
    const W = this.weightCount;
    const w = this.weights;
    const buffer = this.options.momentumBuffer?.data;
    let restored = 0;
    for (let k = 0, o = 0; k < this.nets; k++, o += W) {
      if (healthy(w, o, W)) continue;
      w.set(this.initial.subarray(o, o + W), o);
      buffer?.fill(0, o, o + W);
      restored++;
    }
    // In-place self-application drives random nets to 0 (or ∞) within a few calls; every chunk starts
    // again from the live initial weights, so that value-dependent engine costs are timed fairly.
    if (this.benchmark === 'self-application') this.weights.set(this.initial);
    return restored;
  }
}

/**
 * Whether network weights w[o, o + W) are worth timing: finite, not huge, not float32-subnormal
 * (subnormal arithmetic can be many times slower) and not all 0 (a dead network).
 */
function healthy(w: Float32Array, o: number, W: number): boolean {
  let alive = false;
  for (let i = o; i < o + W; i++) {
    const a = Math.abs(w[i]);
    // NaN fails every comparison, so it is caught here too.
    if (!(a <= HUGE) || (a !== 0 && a < TINY)) return false;
    if (a !== 0) alive = true;
  }
  return alive;
}
