import type { Rng } from '@srnn/core';
import { MLP_INIT_SCHEMES, MlpLayout, type ReducedMlpNetwork } from '@srnn/mlp';
import type { FftOptions } from './fft-options';
import { FftReduction } from './fft-reduction';

export type { FftOptions } from './fft-options';

/** An fft MLP k → width × depth → k that rewrites a network through its lowest Fourier coefficients. */
export class FftNetwork implements ReducedMlpNetwork {
  readonly type = 'fft';
  readonly layout: MlpLayout;
  readonly weightCount: number;
  readonly initSchemes = MLP_INIT_SCHEMES;
  readonly reduction: FftReduction;

  constructor(readonly options: FftOptions) {
    const k = options.coefficients;
    this.layout = MlpLayout.of(k, options.width, options.depth, k, options.bias, options.layout);
    this.weightCount = this.layout.weightCount;
    this.reduction = new FftReduction(this.weightCount, k);
  }

  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    this.layout.initialize(scheme, out, rng);
  }
}
