/**
 * Checkpoints (README, "Checkpoints"): what a run saves to continue later exactly where it was.
 * Core holds only the contract; writing and reading checkpoints is @srnn/checkpoint's.
 */
import type { RunEvent } from './events';

/** A value of a saved state: JSON data and typed arrays (stored as raw little-endian binary), nested in records and lists. */
export type CheckpointValue =
  number | string | boolean | null | Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | readonly CheckpointValue[] | { readonly [key: string]: CheckpointValue };

/** An experiment's own state at a checkpoint (its cursor, buffers, …). */
export type CheckpointState = { readonly [key: string]: CheckpointValue };

/** Everything a run needs to continue from a checkpoint: the run's own state and the experiment's. */
export interface RunState {
  /** Units of the experiment's `checkpointUnit` done. */
  readonly cursor: number;
  /** The step of the last census (the final snapshot's step). */
  readonly lastStep: number;
  readonly population: { readonly weights: Float32Array; readonly uid: Float64Array; readonly birthStep: Float64Array; readonly parentUid: Float64Array; readonly nextUid: number };
  /** Every random stream's exact position (xoroshiro128+ state words), by purpose. */
  readonly random: { readonly [purpose: string]: readonly number[] };
  readonly experiment: CheckpointState;
}

/** How a run saves checkpoints and continues from one: given by the checkpoint machinery (`Run.useCheckpoints`). */
export interface RunCheckpoints {
  /** Units of the experiment's `checkpointUnit` between checkpoints. */
  readonly every: number;
  /** The checkpoint to continue from, and the events the run had emitted up to it (replayed after `run-started`). */
  readonly resume?: { readonly state: RunState; readonly events: Iterable<RunEvent> };
  /** Writes a checkpoint; the run goes on once it has (atomically) been written. */
  save(state: RunState): void | Promise<void>;
}
