import { ParticleClassCode, type CheckpointState } from '@srnn/core';

/** How a robustness trial ended: the class that stopped it, or the step cap. */
export const TRIAL_ENDS = ['zero', 'divergent', 'cap'] as const;
export type TrialEnd = (typeof TRIAL_ENDS)[number];

/**
 * The clocks of PAPER.md §4.4, one per trial. After every self-application a trial is observed
 * with its class: zero or divergent stops it (that step is not counted); otherwise, if it is a
 * fixpoint and has been one after every step so far, time as fixpoint grows by 1; time to
 * vergence grows by 1. A trial that leaves the fixpoint set and comes back does not resume counting
 * (it is marked `rejoined`). A trial never stopped ends at the cap with time to vergence = steps.
 */
export class TrialClocks {
  readonly timeToVergence: Int32Array;
  readonly timeAsFixpoint: Int32Array;
  /** 1 while the trial has been a fixpoint after every step so far. */
  readonly stillFixpoint: Uint8Array;
  /** 1 when the trial became a fixpoint again after having been something else. */
  readonly rejoined: Uint8Array;
  /** Index into TRIAL_ENDS; 'cap' until the trial stops. */
  readonly end: Uint8Array;

  constructor(readonly size: number) {
    this.timeToVergence = new Int32Array(size);
    this.timeAsFixpoint = new Int32Array(size);
    this.stillFixpoint = new Uint8Array(size).fill(1);
    this.rejoined = new Uint8Array(size);
    this.end = new Uint8Array(size).fill(TRIAL_ENDS.indexOf('cap'));
  }

  /** Counts one step of trial `t`, which now has class `code`; returns false when the trial stops. */
  observe(t: number, code: number): boolean {
    if (code === ParticleClassCode.zero || code === ParticleClassCode.divergent) {
      this.end[t] = TRIAL_ENDS.indexOf(code === ParticleClassCode.zero ? 'zero' : 'divergent');
      return false;
    }
    if (code === ParticleClassCode.fixpoint) {
      if (this.stillFixpoint[t]) this.timeAsFixpoint[t]++;
      else this.rejoined[t] = 1;
    } else {
      this.stillFixpoint[t] = 0;
    }
    this.timeToVergence[t]++;
    return true;
  }

  /** Every clock (checkpoints). */
  save(): CheckpointState {
    const { timeToVergence, timeAsFixpoint, stillFixpoint, rejoined, end } = this;
    return { timeToVergence, timeAsFixpoint, stillFixpoint, rejoined, end };
  }

  /** The clocks `save` gave. */
  static restore(state: CheckpointState): TrialClocks {
    const saved = state as { timeToVergence: Int32Array; timeAsFixpoint: Int32Array; stillFixpoint: Uint8Array; rejoined: Uint8Array; end: Uint8Array };
    const clocks = new TrialClocks(saved.end.length);
    for (const key of ['timeToVergence', 'timeAsFixpoint', 'stillFixpoint', 'rejoined', 'end'] as const) clocks[key].set(saved[key]);
    return clocks;
  }

  endOf(t: number): TrialEnd {
    return TRIAL_ENDS[this.end[t]];
  }
}
