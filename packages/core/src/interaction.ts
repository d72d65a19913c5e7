import type { z } from 'zod';
import type { NetworkKernels, NetworkShape } from './network';
import type { Population } from './population';
import type { Rng } from './random';
import type { CheckpointValue } from './checkpoint';

/** One entry of a soup's `interactions` list, parsed: `type`, the soup's `rate` and `per`, the plugin's options. */
export type InteractionEntry = { readonly type: string } & Readonly<Record<string, unknown>>;

/** What an interaction works with in one soup; the soup makes one context per entry of its list. */
export interface InteractionContext {
  readonly population: Population;
  readonly network: NetworkShape;
  readonly kernels: NetworkKernels;
  /**
   * The entry's own random stream for `purpose` (e.g. "mask"). Streams are named after the entry,
   * so two entries never share one and a new entry never shifts another's.
   */
  stream(purpose: string): Rng;
  /**
   * Puts a new particle into `slot` (a new uid, born now, parent `parentUid`; -1 for none) in place
   * of the one there, which dies. The caller then writes the newcomer's weights. The soup records
   * the death and the birth (cause: this entry) and makes every interaction forget the slot's state
   * (`reborn`). Returns the new uid.
   */
  replace(slot: number, parentUid: number): number;
}

/** An interaction set up for one soup: options fixed, per-particle state (e.g. momentum) allocated. */
export interface InteractionInstance {
  /**
   * Performs the interaction for every pair (actors[k], partners[k]) — slots of the population.
   * The pairs of one call are disjoint (no particle is in two of them), so they may run in any order
   * or as one kernel batch; a pair may be one particle twice (a particle attacking itself).
   * Interactions without a partner get partners = actors. The arrays are only lent for the call.
   */
  act(actors: Int32Array, partners: Int32Array): void;
  /** `slot` holds a new particle from now on: forget what was kept about the old one. */
  reborn(slot: number): void;
  /** Per-particle state kept between epochs (e.g. momentum buffers), for checkpoints; an instance without it keeps none. */
  save?(): CheckpointValue;
  restore?(state: CheckpointValue): void;
}

/**
 * Extension point: something a particle does in a soup (PAPER.md §3: attack, learn-from, melt,
 * self-train). A soup decides who acts, when and with whom (`rate`, `per`); the interaction decides
 * what happens to the weights.
 */
export const Interaction = Symbol('Interaction');
export interface Interaction<S extends z.ZodObject = z.ZodObject> {
  /** The name scenarios use: `interactions: [ { type: attack, … } ]`. */
  readonly type: string;
  readonly description: string;
  /** The interaction's own options; a soup adds `type`, `rate` and `per` to them. */
  readonly optionsSchema: S;
  /** True when the actor acts with a partner (attack, learn-from, melt); false when alone (self-train). */
  readonly partnered: boolean;
  /** The probability `rate` when a scenario gives none. */
  readonly defaultRate: number;
  /**
   * Optional: fills options whose defaults come from the other entries of the same soup (learn-from
   * takes self-train's SGD settings). Gets this entry's options and all entries, parsed; returns
   * the options completed. Runs while the scenario is resolved, so scenario.resolved.yaml shows
   * the result.
   */
  complete?(options: z.output<S>, entries: readonly InteractionEntry[]): z.output<S>;
  /** Sets the interaction up for one soup: `options` is its entry without `type`, `rate` and `per`, parsed and completed. */
  create(context: InteractionContext, options: z.output<S>): InteractionInstance;
}
