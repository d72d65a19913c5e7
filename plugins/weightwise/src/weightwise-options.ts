import { z } from 'zod';
import { mlpOptionsShape } from '@srnn/mlp';

/** `architecture: { type: weightwise, … }`: the MLP's width, depth, activation, bias and matrix layout. */
export const weightwiseOptionsSchema = z.object(mlpOptionsShape).strict();
export type WeightwiseOptions = z.output<typeof weightwiseOptionsSchema>;
