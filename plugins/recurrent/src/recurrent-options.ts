import { z } from 'zod';
import { mlpOptionsShape } from '@srnn/mlp';

/** `architecture: { type: recurrent, … }`: as for the MLP types, width and depth counting RNN units and layers. */
export const recurrentOptionsSchema = z
  .object({
    ...mlpOptionsShape,
    width: mlpOptionsShape.width.describe('units per hidden RNN layer'),
    depth: mlpOptionsShape.depth.describe('number of hidden RNN layers (the output layer has 1 unit)'),
    layout: mlpOptionsShape.layout.describe('storage order of each kernel: out-in (PyTorch nn.RNN) | in-out (Keras SimpleRNN)'),
  })
  .strict();
export type RecurrentOptions = z.output<typeof recurrentOptionsSchema>;
