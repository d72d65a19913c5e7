import type { z } from 'zod';
import type { NetworkShape } from './network';

/** Extension point: a network type scenarios name with `architecture: { type: … }`. */
export const Architecture = Symbol('Architecture');
export interface Architecture {
  readonly type: string;
  readonly description: string;
  /** The plugin's slice of the scenario schema (every key but `type`), with defaults. */
  readonly optionsSchema: z.ZodObject;
  /** Builds the shape from options already validated by `optionsSchema`. */
  build(options: Record<string, unknown>): NetworkShape;
}
