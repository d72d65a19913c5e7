import type { NetworkKernels, TrainOptions, WeightBatch, KernelProvider, NetworkShape } from '@srnn/core';
import type { Activation, MlpLayout } from '@srnn/mlp';
import { injectable } from 'inversify';
import type { Tensor2D } from '@tensorflow/tfjs';
import type { TfjsBackend } from '../tfjs-backend';
import { gatherRows, mlpForward, scatterRows, sgdStep } from '../tfjs-mlp';

/**
 * What these kernels read of a weightwise network (@srnn/weightwise's WeightwiseNetwork). A
 * structural type: backend-tfjs does not import the network packages, whose tests import it.
 */
export interface WeightwiseShape extends NetworkShape {
  readonly layout: MlpLayout;
  readonly options: { readonly activation: Activation };
  /** [W × 3] positions [layer, cell, pos] of every weight. */
  readonly positions: Float32Array;
}

/** The weightwise kernels of the tfjs backend. */
@injectable()
export class WeightwiseTfjsKernelProvider implements KernelProvider<WeightwiseShape, TfjsBackend> {
  readonly architecture = 'weightwise';
  readonly backend = 'tfjs';

  create(network: WeightwiseShape, backend: TfjsBackend): NetworkKernels {
    return new WeightwiseTfjsKernels(backend, network.layout, network.options.activation, network.positions);
  }
}

/**
 * Weightwise kernels for the tfjs backend: every op covers the whole batch of networks
 * ([B × W] parameters, [B × W × 4] input rows); one tensor graph per call, never per network.
 */
export class WeightwiseTfjsKernels implements NetworkKernels {
  readonly samplesPerNetwork: number;

  constructor(
    private readonly backend: TfjsBackend,
    private readonly layout: MlpLayout,
    private readonly activation: Activation,
    private readonly positions: Float32Array,
  ) {
    this.samplesPerNetwork = layout.weightCount;
  }

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const { tf } = this.backend;
    const W = this.samplesPerNetwork;
    const B = fn.index.length;
    // tidy returns the tensor, not its data: tidy would walk a returned typed array value by value.
    const output = tf.tidy(() => {
      const params = tf.tensor2d(gatherRows(fn.data, fn.index, W), [B, W]);
      const rows = tf.tensor3d(this.rowsOf(gatherRows(input.data, input.index, W), B), [B, W, 4]);
      return mlpForward(tf, this.layout, this.activation, params, rows);
    });
    const result = output.dataSync() as Float32Array;
    output.dispose();
    scatterRows(result, out.data, out.index, W);
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const { tf } = this.backend;
    const W = this.samplesPerNetwork;
    const B = params.index.length;
    const withMomentum = options.momentum !== 0;
    if (withMomentum && !options.momentumBuffer) throw new Error('training with momentum needs a momentum buffer');
    const values = gatherRows(data.data, data.index, W);
    const rows = this.rowsOf(values, B);
    let weights = gatherRows(params.data, params.index, W);
    let buffer = withMomentum ? gatherRows(options.momentumBuffer!.data, options.momentumBuffer!.index, W) : null;
    const losses = new Float64Array(B);

    const step = (sampleRows: Float32Array, targets: Float32Array, R: number) => {
      tf.engine().startScope();
      try {
        const x = tf.tensor3d(sampleRows, [B, R, 4]);
        const t = tf.tensor3d(targets, [B, R, 1]);
        const perNetworkLoss = (p: Tensor2D) => tf.mean(tf.square(tf.sub(mlpForward(tf, this.layout, this.activation, p, x), t)), [1, 2]);
        const result = sgdStep(tf, perNetworkLoss, weights, buffer, { B, W }, options);
        weights = result.weights;
        buffer = result.buffer;
        for (let k = 0; k < B; k++) losses[k] += result.losses[k];
      } finally {
        tf.engine().endScope();
      }
    };

    if (options.batch === 1) {
      if (!options.rng) throw new Error('batch 1 training needs an rng for the sample order');
      const orders = this.drawOrders(B, options);
      const sampleRows = new Float32Array(B * 4);
      const targets = new Float32Array(B);
      for (let t = 0; t < W; t++) {
        for (let k = 0; k < B; k++) {
          const r = orders[k * W + t];
          sampleRows.set(rows.subarray((k * W + r) * 4, (k * W + r) * 4 + 4), k * 4);
          targets[k] = values[k * W + r];
        }
        step(sampleRows, targets, 1);
      }
      for (let k = 0; k < B; k++) losses[k] /= W;
    } else {
      step(rows, values, W);
    }

    scatterRows(weights, params.data, params.index, W);
    if (buffer) scatterRows(buffer, options.momentumBuffer!.data, options.momentumBuffer!.index, W);
    if (loss) for (let k = 0; k < B; k++) loss[k] = losses[k];
  }

  dispose(): void {}

  /** [B × W × 4] input rows of the given weight vectors. */
  private rowsOf(values: Float32Array, B: number): Float32Array {
    const W = this.samplesPerNetwork;
    const rows = new Float32Array(B * W * 4);
    const positions = this.positions;
    for (let k = 0; k < B * W; k++) {
      const p = (k % W) * 3;
      rows[k * 4] = values[k];
      rows[k * 4 + 1] = positions[p];
      rows[k * 4 + 2] = positions[p + 1];
      rows[k * 4 + 3] = positions[p + 2];
    }
    return rows;
  }

  /** Per-network row orders, drawn network by network as the js kernels draw them. */
  private drawOrders(B: number, options: TrainOptions): Int32Array {
    const W = this.samplesPerNetwork;
    const orders = new Int32Array(B * W);
    for (let k = 0; k < B; k++) {
      for (let r = 0; r < W; r++) orders[k * W + r] = r;
      options.rng!.shuffle(orders, k * W, W);
    }
    return orders;
  }
}
