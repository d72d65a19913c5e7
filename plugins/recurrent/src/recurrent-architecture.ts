import { injectable } from 'inversify';
import { z } from 'zod';
import type { Architecture } from '@srnn/core';
import { mlpOptionsShape } from '@srnn/mlp';
import { RecurrentNetwork, type RecurrentOptions } from './recurrent-network';

/**
 * `architecture: { type: recurrent }`. Options as for the MLP types: width (units per hidden RNN
 * layer), depth (hidden RNN layers), activation (default linear, as the authors' Keras code and
 * PAPER.md's defaults), bias, layout (matrix storage order, see `RecurrentLayout`).
 */
@injectable()
export class RecurrentArchitecture implements Architecture {
  readonly type = 'recurrent';
  readonly description =
    'stacked simple RNNs 1 → width×depth → 1 reading a weight vector as a sequence, one scalar per step; the output sequence is the new weights (PAPER.md §1)';
  readonly optionsSchema = z
    .object({
      ...mlpOptionsShape,
      width: mlpOptionsShape.width.describe('units per hidden RNN layer'),
      depth: mlpOptionsShape.depth.describe('number of hidden RNN layers (the output layer has 1 unit)'),
      layout: mlpOptionsShape.layout.describe('storage order of each kernel: out-in (PyTorch nn.RNN) | in-out (Keras SimpleRNN)'),
    })
    .strict();

  build(options: Record<string, unknown>): RecurrentNetwork {
    return new RecurrentNetwork(this.optionsSchema.parse(stripType(options)) as RecurrentOptions);
  }
}

function stripType(options: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = options;
  return rest;
}
