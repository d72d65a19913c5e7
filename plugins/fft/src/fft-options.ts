import { z } from 'zod';
import { mlpOptionsShape } from '@srnn/mlp';

/** `architecture: { type: fft, … }`: the MLP's options, and k, its inputs and outputs (the lowest k/2 Fourier coefficients). */
export const fftOptionsSchema = z
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
export type FftOptions = z.output<typeof fftOptionsSchema>;
