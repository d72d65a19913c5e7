import type { Census } from './classification';
import type { ResolvedScenario } from './scenario/schema';

/** The state of a population at one moment, as typed arrays (copies, safe to keep). */
export interface PopulationSnapshot {
  readonly step: number;
  readonly weightCount: number;
  readonly weights: Float32Array;
  readonly uids: Float64Array;
  readonly parentUids: Float64Array;
  readonly birthSteps: Float64Array;
  /** Class codes, indices into PARTICLE_CLASSES. */
  readonly classes: Uint8Array;
}

export interface RunInfo {
  readonly scenario: ResolvedScenario;
  readonly srnnVersion: string;
  /** What ran the numerics, e.g. "js" or "tfjs 4.22.0 (wasm)". */
  readonly backend: string;
  readonly weightCount: number;
  readonly totalWork: number;
}

/**
 * What happened in one epoch of a soup (PAPER.md §4.7), as typed arrays. Codes index `codes`. Every
 * death in a soup is a replacement: `births.uid[k]` took the slot of `deaths.uid[k]`, for the same
 * cause, so both lists have one length. Lineage follows from these: *descends from* = births
 * (parent), *overwritten by* = attack interactions, *learned from* = learn-from interactions.
 */
export interface InteractionsEvent {
  readonly kind: 'interactions';
  /** The epoch (from 1). */
  readonly step: number;
  /** Names of the codes: the soup's `interactions` in list order (e.g. "attack"), then "respawn-divergent", "respawn-zero". */
  readonly codes: readonly string[];
  /**
   * The interactions of the epoch in the order they happened: interaction `code[k]` by particle
   * `actor[k]` on `partner[k]` (uids when it happened; partner = actor for interactions without one).
   */
  readonly interactions: { readonly code: Uint8Array; readonly actor: Float64Array; readonly partner: Float64Array };
  /** Particles born, in order: uid, parent uid (-1: none, e.g. a fresh respawned particle) and cause code. */
  readonly births: { readonly uid: Float64Array; readonly parent: Float64Array; readonly cause: Uint8Array };
  /** Particles that died, in order: uid and cause code (the interaction, or the class that made respawn replace it). */
  readonly deaths: { readonly uid: Float64Array; readonly cause: Uint8Array };
}

/** Everything a run reports, as one discriminated union on `kind`. */
export type RunEvent =
  | { readonly kind: 'run-started'; readonly info: RunInfo }
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'census'; readonly step: number; readonly census: Census; readonly meanLoss?: number }
  /** One event per census with every particle's class; emitted only when somebody subscribes. */
  | { readonly kind: 'classified'; readonly step: number; readonly uids: Float64Array; readonly classes: Uint8Array }
  /** One event per soup epoch with who did what to whom, births and deaths; emitted only when somebody subscribes. */
  | InteractionsEvent
  /** Every particle's weights at one step (e.g. a soup's `snapshotEvery`); emitted only when somebody subscribes. */
  | { readonly kind: 'snapshot'; readonly step: number; readonly population: PopulationSnapshot }
  | { readonly kind: 'run-finished'; readonly census: Census; readonly elapsedMs: number; readonly population: PopulationSnapshot }
  | { readonly kind: 'run-failed'; readonly error: Error };

export type RunEventOf<K extends RunEvent['kind']> = Extract<RunEvent, { kind: K }>;
