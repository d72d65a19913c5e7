import type { NetworkKernels, TrainOptions, WeightBatch, KernelProvider, NetworkShape } from '@srnn/core';
import type { Activation, MatrixLayout } from '@srnn/mlp';
import { injectable } from 'inversify';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import type { Tf, TfjsBackend } from '../tfjs-backend';
import { gatherRows, scatterRows, tfActivate, trainRows } from '../tfjs-mlp';

/**
 * Where the weights of a stack of simple RNNs live (@srnn/recurrent's RecurrentLayout, which
 * documents it). Structural types: backend-tfjs does not import the network packages, whose tests
 * import it.
 */
export interface RecurrentLayoutShape {
  readonly layout: MatrixLayout;
  readonly weightCount: number;
  readonly layers: readonly {
    readonly inputs: number;
    readonly units: number;
    readonly kernelOffset: number;
    readonly recurrentOffset: number;
    /** -1 without bias. */
    readonly biasOffset: number;
  }[];
}

/** What these kernels read of a recurrent network (@srnn/recurrent's RecurrentNetwork). */
export interface RecurrentShape extends NetworkShape {
  readonly layout: RecurrentLayoutShape;
  readonly options: { readonly activation: Activation };
}

/** The recurrent kernels of the tfjs backend. */
@injectable()
export class RecurrentTfjsKernelProvider implements KernelProvider<RecurrentShape, TfjsBackend> {
  readonly architecture = 'recurrent';
  readonly backend = 'tfjs';

  create(network: RecurrentShape, backend: TfjsBackend): NetworkKernels {
    return new RecurrentTfjsKernels(backend, network.layout, network.options.activation);
  }
}

/**
 * Forward pass of a batch of RNN stacks with the same layout: `params` [B × W] holds each
 * network's flat weights, `sequences` [B × T × 1] each network's input sequence; returns the last
 * layer's output sequences [B × T × 1]. Each layer projects its whole input sequence at once, then
 * loops over the T steps of the recurrence; every op covers the whole batch.
 */
export function recurrentForward(tf: Tf, layout: RecurrentLayoutShape, activation: Activation, params: Tensor2D, sequences: Tensor3D): Tensor3D {
  const B = params.shape[0];
  const T = sequences.shape[1];
  const outIn = layout.layout === 'out-in';
  let x = sequences;
  for (const layer of layout.layers) {
    const u = layer.units;
    const kernel = tf.slice(params, [0, layer.kernelOffset], [B, layer.inputs * u]);
    const recurrent = tf.reshape(tf.slice(params, [0, layer.recurrentOffset], [B, u * u]), [B, u, u]);
    // [B × T × u]: K x_t for every step (plus the bias).
    let projected = outIn ? tf.matMul(x, tf.reshape(kernel, [B, u, layer.inputs]), false, true) : tf.matMul(x, tf.reshape(kernel, [B, layer.inputs, u]));
    if (layer.biasOffset >= 0) projected = tf.add(projected, tf.reshape(tf.slice(params, [0, layer.biasOffset], [B, u]), [B, 1, u]));
    const steps = tf.split(projected, T, 1) as Tensor3D[];
    let h: Tensor3D = tf.zeros([B, 1, u]);
    const outputs: Tensor3D[] = [];
    for (let t = 0; t < T; t++) {
      h = tfActivate(tf, activation, tf.add(steps[t], outIn ? tf.matMul(h, recurrent, false, true) : tf.matMul(h, recurrent)));
      outputs.push(h);
    }
    x = tf.concat(outputs, 1);
  }
  return x;
}

/**
 * Recurrent kernels for the tfjs backend: every op covers the whole batch of networks ([B × W]
 * parameters, [B × T × 1] sequences, T = W); one tensor graph per call, never per network, the
 * gradient (backpropagation through time) from `tf.grad`.
 */
export class RecurrentTfjsKernels implements NetworkKernels {
  readonly samplesPerNetwork = 1;

  constructor(
    private readonly backend: TfjsBackend,
    private readonly layout: RecurrentLayoutShape,
    private readonly activation: Activation,
  ) {}

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const { tf } = this.backend;
    const W = this.layout.weightCount;
    const B = fn.index.length;
    if (B === 0) return;
    const result = tf.tidy(() => {
      const params = tf.tensor2d(gatherRows(fn.data, fn.index, W), [B, W]);
      const sequences = tf.tensor3d(gatherRows(input.data, input.index, W), [B, W, 1]);
      return recurrentForward(tf, this.layout, this.activation, params, sequences).dataSync() as Float32Array;
    });
    scatterRows(result, out.data, out.index, W);
  }

  /** One step on each network's whole sequence; `batch: 1` is the same step (one sample per network). */
  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const { tf } = this.backend;
    const W = this.layout.weightCount;
    const B = params.index.length;
    if (B === 0) return;
    trainRows(tf, params, options, W, loss, () => {
      const sequences = tf.tensor3d(gatherRows(data.data, data.index, W), [B, W, 1]);
      return (p: Tensor2D) => tf.mean(tf.square(tf.sub(recurrentForward(tf, this.layout, this.activation, p, sequences), sequences)), [1, 2]);
    });
  }

  dispose(): void {}
}
