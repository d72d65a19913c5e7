import type { Backend, NetworkKernels, NetworkShape, Rng } from '@srnn/core';
import { MLP_INIT_SCHEMES, MlpLayout, ReducedMlpJsKernels, type Activation, type MatrixLayout } from '@srnn/mlp';
import { isTfjsBackend, ReducedMlpTfjsKernels } from '@srnn/backend-tfjs';
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
export class AggregatingNetwork implements NetworkShape {
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

  createKernels(backend: Backend, rng?: Rng): NetworkKernels {
    if (this.options.shuffle === 'random' && !rng) {
      throw new Error('aggregating with shuffle: random draws its permutations from a random stream: call createKernels(backend, rng)');
    }
    const { layout, reduction } = this;
    const { activation } = this.options;
    if (backend.name === 'js') return new ReducedMlpJsKernels(layout, activation, reduction, rng);
    if (isTfjsBackend(backend)) return new ReducedMlpTfjsKernels(backend, layout, activation, reduction, rng);
    throw new Error(`aggregating has no kernels for backend "${backend.name}"`);
  }
}
