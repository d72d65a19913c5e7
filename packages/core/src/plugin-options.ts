import type { z } from 'zod';
import type { KeyPath } from './scenario/scenario-source';

/** A plugin with options: an architecture, experiment, figure or interaction. */
export interface OptionsOwner<S extends z.ZodObject> {
  readonly type: string;
  readonly optionsSchema: S;
}

/** A plugin's entry that its own options schema rejects; `path` is relative to the entry. */
export class PluginOptionsError extends Error {
  constructor(
    readonly plugin: string,
    readonly path: KeyPath,
    readonly detail: string,
  ) {
    super(`${plugin}: ${path.length > 0 ? `${path.join('.')}: ` : ''}${detail}`);
    this.name = 'PluginOptionsError';
  }
}

/**
 * A plugin's options from its entry in a scenario (`architecture:`, `experiment:`, a figure, a
 * soup's interaction): the entry without `type` — and without the keys its host adds, e.g. a
 * soup's `rate` and `per` — parsed by the plugin's own schema, typed. The scenario schema, composed
 * of these schemas, has checked the entry already; what fails here (a PluginOptionsError) is what
 * only the whole schema sees, e.g. an object-level refinement, or input nobody checked.
 */
export function pluginOptions<S extends z.ZodObject>(plugin: OptionsOwner<S>, entry: object, hostKeys: readonly string[] = []): z.output<S> {
  const own = Object.fromEntries(Object.entries(entry).filter(([key]) => key !== 'type' && !hostKeys.includes(key)));
  const parsed = plugin.optionsSchema.safeParse(own);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  throw new PluginOptionsError(plugin.type, issue.path, issue.message);
}
