import type { NetworkKernels, Rng, TrainOptions, WeightBatch, KernelProvider } from '@srnn/core';
import { reductionStream, type Activation, type MlpLayout, type ReducedMlpNetwork, type Reduction } from '@srnn/mlp';
import type { Tensor2D } from '@tensorflow/tfjs';
import type { TfjsBackend } from '../tfjs-backend';
import { gatherRows, mlpForward, trainRows } from '../tfjs-mlp';

/**
 * tfjs kernels of a reduced MLP (k → … → k) for any `Reduction`: reduce and expand run in JS, one
 * network after the other (in batch order, so random expansions draw as the js kernels do); the MLP
 * runs as batched tensor ops over the whole batch ([B × W] parameters, [B × 1 × k] samples), one
 * tensor graph per call, never per network.
 */
export class ReducedMlpTfjsKernels implements NetworkKernels {
  readonly samplesPerNetwork = 1;
  private readonly W: number;
  private readonly k: number;

  constructor(
    private readonly backend: TfjsBackend,
    private readonly layout: MlpLayout,
    private readonly activation: Activation,
    private readonly reduction: Reduction,
    private readonly rng?: Rng,
  ) {
    this.k = reduction.size;
    const sizes = layout.sizes;
    if (sizes[0] !== this.k || sizes[sizes.length - 1] !== this.k) {
      throw new Error(`a reduced MLP needs ${this.k} inputs and outputs (its reduction's size), not ${sizes[0]} and ${sizes[sizes.length - 1]}`);
    }
    this.W = layout.weightCount;
  }

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const { tf } = this.backend;
    const { W, k } = this;
    const B = fn.index.length;
    if (B === 0) return;
    const x = this.reduceAll(input);
    const y = tf.tidy(() => {
      const params = tf.tensor2d(gatherRows(fn.data, fn.index, W), [B, W]);
      return mlpForward(tf, this.layout, this.activation, params, tf.tensor3d(x, [B, 1, k])).dataSync() as Float32Array;
    });
    const values = new Float64Array(k);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < k; i++) values[i] = y[b * k + i];
      this.reduction.expand(values, out.data, out.index[b] * W, this.rng);
    }
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const { tf } = this.backend;
    const { W, k } = this;
    const B = params.index.length;
    if (B === 0) return;
    // One sample per network: a full batch and a batch-1 epoch are the same single step.
    trainRows(tf, params, options, W, loss, () => {
      const samples = tf.tensor3d(this.reduceAll(data), [B, 1, k]);
      return (p: Tensor2D) => tf.mean(tf.square(tf.sub(mlpForward(tf, this.layout, this.activation, p, samples), samples)), [1, 2]);
    });
  }

  dispose(): void {}

  /** [B × k] reduced values of the batch's weight vectors (float64 reductions, stored as float32). */
  private reduceAll(batch: WeightBatch): Float32Array {
    const { W, k } = this;
    const B = batch.index.length;
    const x = new Float32Array(B * k);
    const values = new Float64Array(k);
    for (let b = 0; b < B; b++) {
      this.reduction.reduce(batch.data, batch.index[b] * W, values);
      x.set(values, b * k);
    }
    return x;
  }
}

/** The tfjs kernels of a reduced-MLP network type (aggregating, fft): one provider per type name. */
export class ReducedMlpTfjsKernelProvider implements KernelProvider<ReducedMlpNetwork, TfjsBackend> {
  readonly backend = 'tfjs';
  constructor(readonly architecture: string) {}

  create(network: ReducedMlpNetwork, backend: TfjsBackend, rng?: Rng): NetworkKernels {
    return new ReducedMlpTfjsKernels(backend, network.layout, network.options.activation, network.reduction, reductionStream(network, rng));
  }
}
