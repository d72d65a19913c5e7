import type { z } from 'zod';
import type { NetworkKernels } from './network';
import type { Population } from './population';
import type { Rng } from './random';

export interface InteractionContext {
  readonly population: Population;
  readonly kernels: NetworkKernels;
  readonly rng: Rng;
  readonly step: number;
}

/**
 * Extension point: something one particle does to another in a soup (attack, learn-from, melt, …).
 * `act` runs the interaction for every (actor[k], partner[k]) pair, in order.
 */
export const Interaction = Symbol('Interaction');
export interface Interaction {
  readonly type: string;
  readonly description: string;
  readonly optionsSchema: z.ZodObject;
  act(context: InteractionContext, actors: Int32Array, partners: Int32Array, options: Record<string, unknown>): void;
}
