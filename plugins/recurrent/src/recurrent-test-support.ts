import { range, type Activation } from '@srnn/mlp';
import type { RecurrentLayout } from './recurrent-layout';
import type { RecurrentOptions } from './recurrent-network';

/**
 * The definition of PAPER.md §1 written as plainly as possible, in float64, for tests: each layer
 * maps its input sequence to h_t = act(K x_t + R h_{t−1} + b), h_{−1} = 0; the last layer's
 * sequence (one unit) is the result.
 */
export function referenceApply(layout: RecurrentLayout, activation: Activation, w: ArrayLike<number>, x: ArrayLike<number>): number[] {
  let sequence = Array.from(x, (v) => [v]);
  layout.layers.forEach((layer, l) => {
    let h = new Array<number>(layer.units).fill(0);
    sequence = sequence.map((input) => {
      h = range(layer.units).map((o) => {
        let sum = 0;
        for (let i = 0; i < layer.inputs; i++) sum += w[layout.kernelIndex(l, o, i)] * input[i];
        for (let i = 0; i < layer.units; i++) sum += w[layout.recurrentIndex(l, o, i)] * h[i];
        if (layer.biasOffset >= 0) sum += w[layer.biasOffset + o];
        return activate(activation, sum);
      });
      return h;
    });
  });
  return sequence.map((v) => v[0]);
}

/** Mean squared error of N ◁ data against data (the self-training loss when data = N). */
export function referenceLoss(layout: RecurrentLayout, activation: Activation, w: ArrayLike<number>, data: ArrayLike<number>): number {
  const y = referenceApply(layout, activation, w, data);
  return y.reduce((sum, v, t) => sum + (v - data[t]) ** 2, 0) / y.length;
}

function activate(activation: Activation, x: number): number {
  switch (activation) {
    case 'linear':
      return x;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'relu':
      return Math.max(0, x);
  }
}

export const label = (o: RecurrentOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;

export { indices, randomPopulation } from '@srnn/testing';
