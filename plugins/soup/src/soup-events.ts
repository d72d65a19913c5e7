import type { PopulationSnapshot } from '@srnn/core';

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

/** Every particle's weights, uid and class at one epoch (a soup's `snapshotEvery`). */
export interface SnapshotEvent {
  readonly kind: 'snapshot';
  readonly step: number;
  readonly population: PopulationSnapshot;
}

declare module '@srnn/core' {
  interface RunEventMap {
    /** Detail: one event per soup epoch with who did what to whom, births and deaths; recorded only when somebody wants it. */
    interactions: InteractionsEvent;
    /** Detail: every particle's weights at a soup's snapshot epochs; taken only when somebody wants it. */
    snapshot: SnapshotEvent;
  }
}
