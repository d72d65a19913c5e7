import type { Backend, NetworkKernels, NetworkShape, Rng } from '@srnn/core';
import { MLP_INIT_SCHEMES, MlpLayout, ReducedMlpJsKernels, type Activation, type MatrixLayout } from '@srnn/mlp';
import { isTfjsBackend, ReducedMlpTfjsKernels } from '@srnn/backend-tfjs';
import { FftReduction } from './fft-reduction';

export interface FftOptions {
  readonly width: number;
  readonly depth: number;
  readonly activation: Activation;
  readonly bias: boolean;
  readonly layout: MatrixLayout;
  /** k (even): the MLP's inputs and outputs, the real and imaginary parts of the lowest k/2 coefficients. */
  readonly coefficients: number;
}

/** An fft MLP k → width × depth → k that rewrites a network through its lowest Fourier coefficients. */
export class FftNetwork implements NetworkShape {
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

  createKernels(backend: Backend): NetworkKernels {
    const { layout, reduction } = this;
    const { activation } = this.options;
    if (backend.name === 'js') return new ReducedMlpJsKernels(layout, activation, reduction);
    if (isTfjsBackend(backend)) return new ReducedMlpTfjsKernels(backend, layout, activation, reduction);
    throw new Error(`fft has no kernels for backend "${backend.name}"`);
  }
}
