import { injectable } from 'inversify';
import { z } from 'zod';
import type { Architecture } from '@srnn/core';
import { WINDOW_ACTIVATIONS, WindowNetwork } from './window-network';

/** `architecture: { type: window, radius: 1, width: 2, activation: linear }` */
@injectable()
export class WindowArchitecture implements Architecture {
  readonly type = 'window';
  readonly description = 'MLP (2·radius + 1) → width → 1 rewriting each weight from the circular window of its neighbours in the flattened weights';
  readonly optionsSchema = z
    .object({
      radius: z.number().int().min(1).max(16).default(1).describe('neighbours read on each side of a weight'),
      width: z.number().int().min(1).max(64).default(2).describe('hidden units'),
      activation: z.enum(WINDOW_ACTIVATIONS).default('linear').describe('activation of the hidden layer'),
    })
    .strict();

  build(options: Record<string, unknown>): WindowNetwork {
    // TODO(issue 12): core strips `type` and passes typed options; then: build(options: z.output<…>).
    const { type: _type, ...own } = options;
    return new WindowNetwork(this.optionsSchema.parse(own));
  }
}
