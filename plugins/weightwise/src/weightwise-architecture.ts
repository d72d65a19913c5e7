import { injectable } from 'inversify';
import type { Architecture } from '@srnn/core';
import { WeightwiseNetwork, type WeightwiseOptions } from './weightwise-network';
import { weightwiseOptionsSchema } from './weightwise-options';

@injectable()
export class WeightwiseArchitecture implements Architecture<typeof weightwiseOptionsSchema> {
  readonly type = 'weightwise';
  readonly description = 'MLP 4 → width×depth → 1 applied to one input row [value, layer, cell, pos] per weight (PAPER.md §1)';
  readonly optionsSchema = weightwiseOptionsSchema;

  build(options: WeightwiseOptions): WeightwiseNetwork {
    return new WeightwiseNetwork(options);
  }
}
