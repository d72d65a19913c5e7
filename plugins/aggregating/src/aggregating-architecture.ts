import { injectable } from 'inversify';
import type { Architecture } from '@srnn/core';
import { AggregatingNetwork } from './aggregating-network';
import { aggregatingOptionsSchema, type AggregatingOptions } from './aggregating-options';

@injectable()
export class AggregatingArchitecture implements Architecture<typeof aggregatingOptionsSchema> {
  readonly type = 'aggregating';
  readonly description = 'MLP k → width×depth → k applied to k group aggregates of the flattened weights, written back to every weight of each group (PAPER.md §1)';
  readonly optionsSchema = aggregatingOptionsSchema;

  build(options: AggregatingOptions): AggregatingNetwork {
    return new AggregatingNetwork(options);
  }
}
