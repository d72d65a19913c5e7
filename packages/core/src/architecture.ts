import type { z } from 'zod';
import type { NetworkShape } from './network';

/** Extension point: a network type scenarios name with `architecture: { type: … }`. */
export const Architecture = Symbol('Architecture');
export interface Architecture<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  readonly description: string;
  /** The plugin's slice of the scenario schema (every key but `type`), with defaults. */
  readonly optionsSchema: S;
  /** Builds the shape from the scenario's `architecture:` entry without `type`, parsed by `optionsSchema`. */
  build(options: z.output<S>): NetworkShape;
}
