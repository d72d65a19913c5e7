import { injectable } from 'inversify';
import { z } from 'zod';
import type { Architecture } from '@srnn/core';
import { mlpOptionsShape } from '@srnn/mlp';
import { AggregatingNetwork, type AggregatingOptions } from './aggregating-network';
import { AGGREGATORS, SHUFFLES } from './aggregating-reduction';

@injectable()
export class AggregatingArchitecture implements Architecture {
  readonly type = 'aggregating';
  readonly description = 'MLP k → width×depth → k applied to k group aggregates of the flattened weights, written back to every weight of each group (PAPER.md §1)';
  readonly optionsSchema = z
    .object({
      ...mlpOptionsShape,
      aggregates: z.number().int().positive().default(4).describe('k: consecutive weight groups, the MLP’s inputs and outputs'),
      aggregator: z.enum(AGGREGATORS).default('average').describe('how a group becomes one input'),
      shuffle: z.enum(SHUFFLES).default('none').describe('random: permute the rewritten weight vector'),
    })
    .strict();

  build(options: Record<string, unknown>): AggregatingNetwork {
    return new AggregatingNetwork(this.optionsSchema.parse(stripType(options)) as AggregatingOptions);
  }
}

function stripType(options: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = options;
  return rest;
}
