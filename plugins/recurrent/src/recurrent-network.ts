import type { NetworkShape, Rng } from '@srnn/core';
import { MLP_INIT_SCHEMES } from '@srnn/mlp';
import { RecurrentLayout } from './recurrent-layout';
import type { RecurrentOptions } from './recurrent-options';

export type { RecurrentOptions } from './recurrent-options';

/**
 * A stack of simple RNNs (units width × depth, then 1; feature size 1) that reads a network's
 * flattened weights as a sequence, one scalar per step, and writes its output sequence back as the
 * new weights (PAPER.md §1). Self-training is sequence to sequence: input and target are the
 * network's own weights, loss the MSE over the W outputs, gradient by backpropagation through time.
 * Its kernels read `layout` and `options.activation`.
 */
export class RecurrentNetwork implements NetworkShape {
  readonly type = 'recurrent';
  readonly layout: RecurrentLayout;
  readonly weightCount: number;
  /** The MLP schemes, and Keras' SimpleRNN init (Glorot-uniform kernels, orthogonal recurrent kernels). */
  readonly initSchemes = [...MLP_INIT_SCHEMES, 'orthogonal'] as const;

  constructor(readonly options: RecurrentOptions) {
    this.layout = RecurrentLayout.of(options.width, options.depth, options.bias, options.layout);
    this.weightCount = this.layout.weightCount;
  }

  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    this.layout.initialize(scheme, out, rng);
  }
}
