import { injectable } from 'inversify';
import { z } from 'zod';
import type { Architecture } from '@srnn/core';
import { WindowNetwork } from './window-network';

export const windowOptionsSchema = z
  .object({
    radius: z.number().int().min(1).max(16).default(1).describe('neighbours read on each side of a weight: the window holds 2·radius + 1'),
    width: z.number().int().min(1).max(64).default(2).describe('hidden units'),
    activation: z.enum(['linear', 'tanh']).default('linear').describe('activation of the hidden layer (the output is linear)'),
  })
  .strict();
export type WindowOptions = z.output<typeof windowOptionsSchema>;

/** `architecture: { type: window, radius: 1, width: 2, activation: linear }` */
@injectable()
export class WindowArchitecture implements Architecture<typeof windowOptionsSchema> {
  readonly type = 'window';
  readonly description = 'MLP (2·radius + 1) → width → 1 rewriting each weight from the circular window of its neighbours in the flattened weights';
  readonly optionsSchema = windowOptionsSchema;

  /** `options`: the scenario's `architecture:` entry without `type`, parsed by the schema (defaults filled). */
  build(options: WindowOptions): WindowNetwork {
    return new WindowNetwork(options);
  }
}
