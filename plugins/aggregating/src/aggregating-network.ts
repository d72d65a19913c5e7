import { MLP_INIT_SCHEMES, MlpLayout, type Activation, type MatrixLayout, type ReducedMlpNetwork, type Rng } from '@srnn/core';
import { AggregatingReduction, type Aggregator, type Shuffle } from './aggregating-reduction';

export interface AggregatingOptions {
  readonly width: number;
  readonly depth: number;
  readonly activation: Activation;
  readonly bias: boolean;
  readonly layout: MatrixLayout;
  /** k: number of groups, and the MLP's inputs and outputs. */
  readonly aggregates: number;
  readonly aggregator: Aggregator;
  readonly shuffle: Shuffle;
}

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
