import { z } from 'zod';
import { mlpOptionsShape } from '@srnn/mlp';
import { AGGREGATORS, SHUFFLES } from './aggregating-reduction';

/** `architecture: { type: aggregating, … }`: the MLP's options, and how the weights become its k inputs. */
export const aggregatingOptionsSchema = z
  .object({
    ...mlpOptionsShape,
    aggregates: z.number().int().positive().default(4).describe('k: consecutive weight groups, the MLP’s inputs and outputs'),
    aggregator: z.enum(AGGREGATORS).default('average').describe('how a group becomes one input'),
    shuffle: z.enum(SHUFFLES).default('none').describe('random: permute the rewritten weight vector'),
  })
  .strict();
export type AggregatingOptions = z.output<typeof aggregatingOptionsSchema>;
