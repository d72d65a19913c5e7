import { injectable } from 'inversify';
import { z } from 'zod';
import type { Architecture } from '@srnn/core';
import { mlpOptionsShape } from '@srnn/mlp';
import { WeightwiseNetwork, type WeightwiseOptions } from './weightwise-network';

@injectable()
export class WeightwiseArchitecture implements Architecture {
  readonly type = 'weightwise';
  readonly description = 'MLP 4 → width×depth → 1 applied to one input row [value, layer, cell, pos] per weight (PAPER.md §1)';
  readonly optionsSchema = z.object(mlpOptionsShape).strict();

  build(options: Record<string, unknown>): WeightwiseNetwork {
    return new WeightwiseNetwork(this.optionsSchema.parse(stripType(options)) as WeightwiseOptions);
  }
}

function stripType(options: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = options;
  return rest;
}
