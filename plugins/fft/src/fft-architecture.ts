import { injectable } from 'inversify';
import { z } from 'zod';
import type { Architecture } from '@srnn/core';
import { mlpOptionsShape } from '@srnn/mlp';
import { FftNetwork, type FftOptions } from './fft-network';

@injectable()
export class FftArchitecture implements Architecture {
  readonly type = 'fft';
  readonly description = 'MLP k → width×depth → k applied to the lowest k/2 Fourier coefficients of the flattened weights, inverse-transformed back (PAPER.md §1)';
  readonly optionsSchema = z
    .object({
      ...mlpOptionsShape,
      coefficients: z
        .number()
        .int()
        .min(2)
        .refine((k) => k % 2 === 0, { message: 'coefficients must be even: k real values are k/2 complex coefficients' })
        .default(4)
        .describe('k (even): real and imaginary parts of the lowest k/2 Fourier coefficients, the MLP’s inputs and outputs'),
    })
    .strict();

  build(options: Record<string, unknown>): FftNetwork {
    return new FftNetwork(this.optionsSchema.parse(stripType(options)) as FftOptions);
  }
}

function stripType(options: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = options;
  return rest;
}
