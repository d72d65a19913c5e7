import { z } from 'zod';

/** The options of `architecture: { type: window, … }` (every key but `type`), with their defaults. */
export const windowOptionsSchema = z
  .object({
    radius: z.number().int().min(1).max(16).default(1).describe('neighbours read on each side of a weight: the window holds 2·radius + 1'),
    width: z.number().int().min(1).max(64).default(2).describe('hidden units'),
    activation: z.enum(['linear', 'tanh']).default('linear').describe('activation of the hidden layer (the output is linear)'),
  })
  .strict();
export type WindowOptions = z.output<typeof windowOptionsSchema>;
