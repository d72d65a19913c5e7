import type { Activation, MlpLayout } from '@srnn/core';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs';
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
    x = layout.layout === 'out-in'
      ? tf.matMul(x, tf.reshape(matrix, [B, layer.outputs, layer.inputs]), false, true)
      : tf.matMul(x, tf.reshape(matrix, [B, layer.inputs, layer.outputs]));
    if (layer.biasOffset >= 0) x = tf.add(x, tf.reshape(tf.slice(params, [0, layer.biasOffset], [B, layer.outputs]), [B, 1, layer.outputs]));
    x = activate(tf, activation, x);
  }
  return x;
}

function activate(tf: Tf, activation: Activation, x: Tensor3D): Tensor3D {
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
