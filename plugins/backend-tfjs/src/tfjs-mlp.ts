import type { TrainOptions, WeightBatch } from '@srnn/core';
import type { Activation, MlpLayout } from '@srnn/mlp';
import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import type { Tf } from './tfjs-backend';

/**
 * Forward pass of a batch of MLPs with the same layout: `params` [B × W] holds each network's flat
 * weights, `inputs` [B × R × in] each network's samples; returns [B × R × out].
 */
export function mlpForward(tf: Tf, layout: MlpLayout, activation: Activation, params: Tensor2D, inputs: Tensor3D): Tensor3D {
  const B = params.shape[0];
  let x = inputs;
  for (const layer of layout.layers) {
    const n = layer.inputs * layer.outputs;
    const matrix = tf.slice(params, [0, layer.weightOffset], [B, n]);
    x = layout.layout === 'out-in' ? tf.matMul(x, tf.reshape(matrix, [B, layer.outputs, layer.inputs]), false, true) : tf.matMul(x, tf.reshape(matrix, [B, layer.inputs, layer.outputs]));
    if (layer.biasOffset >= 0) x = tf.add(x, tf.reshape(tf.slice(params, [0, layer.biasOffset], [B, layer.outputs]), [B, 1, layer.outputs]));
    x = tfActivate(tf, activation, x);
  }
  return x;
}

/** The activation function on a tensor; NaN stays NaN (as in PyTorch and the js backend). */
export function tfActivate<T extends Tensor>(tf: Tf, activation: Activation, x: T): T {
  switch (activation) {
    case 'linear':
      return x;
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'relu':
      // tfjs' relu maps NaN to 0; PyTorch (and the js backend) keep NaN, so divergence spreads.
      return tf.where(tf.isNaN(x), x, tf.relu(x));
  }
}

/** A training step's result for B networks: new weights and momentum buffer [B × W], the losses before it [B]. */
export interface SgdStep {
  readonly weights: Float32Array;
  readonly buffer: Float32Array | null;
  readonly losses: Float32Array;
}

/**
 * One SGD step with momentum as PyTorch takes it (v ← μ·v + g, w ← w − lr·v; no buffer: w ← w − lr·g)
 * for B networks at once: `perNetworkLoss` maps parameters [B × W] to each network's loss [B], whose
 * sum is differentiated. One forward pass yields the losses and the gradient.
 */
export function sgdStep(
  tf: Tf,
  perNetworkLoss: (params: Tensor2D) => Tensor,
  weights: Float32Array,
  buffer: Float32Array | null,
  shape: { readonly B: number; readonly W: number },
  options: { readonly lr: number; readonly momentum: number },
): SgdStep {
  const { B, W } = shape;
  tf.engine().startScope();
  try {
    const p = tf.tensor2d(weights, [B, W]);
    // the per-network losses are kept out of the gradient's tidy
    let perNetwork: Tensor | undefined;
    const grad = tf.grad((q) => {
      perNetwork = tf.keep(perNetworkLoss(q as Tensor2D));
      return tf.sum(perNetwork);
    })(p);
    const losses = perNetwork!.dataSync() as Float32Array;
    perNetwork!.dispose();
    const direction = buffer ? tf.add(tf.mul(tf.tensor2d(buffer, [B, W]), options.momentum), grad) : grad;
    return {
      weights: tf.sub(p, tf.mul(direction, options.lr)).dataSync() as Float32Array,
      buffer: buffer ? (direction.dataSync() as Float32Array) : null,
      losses,
    };
  } finally {
    tf.engine().endScope();
  }
}

/**
 * One `sgdStep` of the networks of `params` (rows of W weights), written back into their rows and
 * momentum buffer rows; `loss` gets the losses before the step. `perNetworkLoss` is called inside
 * a tfjs scope, so the tensors it makes (e.g. the samples) are freed afterwards.
 */
export function trainRows(tf: Tf, params: WeightBatch, options: TrainOptions, W: number, loss: Float32Array | undefined, perNetworkLoss: () => (params: Tensor2D) => Tensor): void {
  const momentum = options.momentum !== 0 ? options.momentumBuffer : undefined;
  if (options.momentum !== 0 && !momentum) throw new Error('training with momentum needs a momentum buffer');
  const buffer = momentum ? gatherRows(momentum.data, momentum.index, W) : null;
  let step: SgdStep;
  tf.engine().startScope();
  try {
    step = sgdStep(tf, perNetworkLoss(), gatherRows(params.data, params.index, W), buffer, { B: params.index.length, W }, options);
  } finally {
    tf.engine().endScope();
  }
  scatterRows(step.weights, params.data, params.index, W);
  if (step.buffer && momentum) scatterRows(step.buffer, momentum.data, momentum.index, W);
  loss?.set(step.losses);
}

/** Copies rows `index` of a [rows × W] array into one dense [B × W] array. */
export function gatherRows(data: Float32Array, index: Int32Array, W: number): Float32Array {
  const out = new Float32Array(index.length * W);
  for (let k = 0; k < index.length; k++) out.set(data.subarray(index[k] * W, index[k] * W + W), k * W);
  return out;
}

/** Writes a dense [B × W] array back to rows `index`. */
export function scatterRows(dense: Float32Array | Int32Array | Uint8Array, data: Float32Array, index: Int32Array, W: number): void {
  for (let k = 0; k < index.length; k++) data.set(dense.subarray(k * W, k * W + W), index[k] * W);
}
