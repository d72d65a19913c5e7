import type { CheckpointState } from '@srnn/core';

/**
 * Checkpoints of one phase of an experiment (e.g. the self-training of a fixpoint source): the
 * phase reports its own units and state; the experiment maps them to its cursor and wraps the
 * phase's state in its own (README, "Checkpoints").
 */
export interface PhaseCheckpoints {
  /** The phase's state at the checkpoint the run continues from; undefined: the phase starts afresh. */
  readonly restored?: CheckpointState;
  /** Called after each unit of the phase, `done` units into it. */
  checkpoint(done: number, state: () => CheckpointState): void | Promise<void>;
}
