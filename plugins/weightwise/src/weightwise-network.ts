import type { NetworkShape, Rng } from '@srnn/core';
import { MLP_INIT_SCHEMES, MlpLayout } from '@srnn/mlp';
import { weightPositions } from './weightwise-positions';
import type { WeightwiseOptions } from './weightwise-options';

export type { WeightwiseOptions } from './weightwise-options';

/**
 * A weightwise MLP 4 → width × depth → 1 that rewrites a network one weight (row) at a time. Its
 * kernels read `layout`, `options.activation` and `positions`.
 */
export class WeightwiseNetwork implements NetworkShape {
  readonly type = 'weightwise';
  readonly layout: MlpLayout;
  readonly weightCount: number;
  readonly initSchemes = MLP_INIT_SCHEMES;
  /** [W × 3] float32 positions [layer, cell, pos] of every weight. */
  readonly positions: Float32Array;

  constructor(readonly options: WeightwiseOptions) {
    this.layout = MlpLayout.of(4, options.width, options.depth, 1, options.bias, options.layout);
    this.weightCount = this.layout.weightCount;
    this.positions = weightPositions(this.layout);
  }

  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    this.layout.initialize(scheme, out, rng);
  }
}
