import { injectable } from 'inversify';
import type { Architecture } from '@srnn/core';
import { RecurrentNetwork } from './recurrent-network';
import { recurrentOptionsSchema, type RecurrentOptions } from './recurrent-options';

/**
 * `architecture: { type: recurrent }`. Options as for the MLP types: width (units per hidden RNN
 * layer), depth (hidden RNN layers), activation (default linear, as the authors' Keras code and
 * PAPER.md's defaults), bias, layout (matrix storage order, see `RecurrentLayout`).
 */
@injectable()
export class RecurrentArchitecture implements Architecture<typeof recurrentOptionsSchema> {
  readonly type = 'recurrent';
  readonly description = 'stacked simple RNNs 1 → width×depth → 1 reading a weight vector as a sequence, one scalar per step; the output sequence is the new weights (PAPER.md §1)';
  readonly optionsSchema = recurrentOptionsSchema;

  build(options: RecurrentOptions): RecurrentNetwork {
    return new RecurrentNetwork(options);
  }
}
