import { injectable } from 'inversify';
import type { Architecture } from '@srnn/core';
import { FftNetwork } from './fft-network';
import { fftOptionsSchema, type FftOptions } from './fft-options';

@injectable()
export class FftArchitecture implements Architecture<typeof fftOptionsSchema> {
  readonly type = 'fft';
  readonly description = 'MLP k → width×depth → k applied to the lowest k/2 Fourier coefficients of the flattened weights, inverse-transformed back (PAPER.md §1)';
  readonly optionsSchema = fftOptionsSchema;

  build(options: FftOptions): FftNetwork {
    return new FftNetwork(options);
  }
}
