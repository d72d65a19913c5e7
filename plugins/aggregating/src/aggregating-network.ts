import type { Rng } from '@srnn/core';
import { MLP_INIT_SCHEMES, MlpLayout, type ReducedMlpNetwork } from '@srnn/mlp';
import { AggregatingReduction } from './aggregating-reduction';
import type { AggregatingOptions } from './aggregating-options';

export type { AggregatingOptions } from './aggregating-options';

/** An aggregating MLP k → width × depth → k that rewrites a network through k group aggregates. */
export class AggregatingNetwork implements ReducedMlpNetwork {
  readonly type = 'aggregating';
  readonly layout: MlpLayout;
  readonly weightCount: number;
  readonly initSchemes = MLP_INIT_SCHEMES;
  readonly reduction: AggregatingReduction;

  constructor(readonly options: AggregatingOptions) {
    const k = options.aggregates;
    this.layout = MlpLayout.of(k, options.width, options.depth, k, options.bias, options.layout);
    this.weightCount = this.layout.weightCount;
    this.reduction = new AggregatingReduction(this.weightCount, k, options.aggregator, options.shuffle);
  }

  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    this.layout.initialize(scheme, out, rng);
  }
}
