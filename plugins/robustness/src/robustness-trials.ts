import type { CheckpointState, NetworkKernels, WeightBatch } from '@srnn/core';
import { TrialClocks } from './trial-clock';

/** Where a run of trials stands after a step (checkpoints): the step, the trials still active, their clocks. The trials' weights are the caller's `data`. */
export type TrialsState = { readonly step: number; readonly active: Int32Array; readonly clocks: CheckpointState };

/**
 * Runs robustness trials: every row of `data` ([trials × W], modified in place) self-applies up to
 * `maxSteps` times, all still-active trials in one kernel call per step, each observed by its
 * clock after every step (see TrialClocks). `afterStep(step, state)` is awaited after every step
 * taken; `state()` is where the trials stand then, and given as `from` (with `data` as it was
 * then) the trials continue after that step exactly as they would have.
 */
export async function runTrials(
  kernels: NetworkKernels,
  classify: (batch: WeightBatch, out: Uint8Array) => Uint8Array,
  data: Float32Array,
  weightCount: number,
  maxSteps: number,
  afterStep: (step: number, state: () => TrialsState) => Promise<void> | void = () => {},
  from?: TrialsState,
): Promise<TrialClocks> {
  const trials = data.length / weightCount;
  const clocks = from ? TrialClocks.restore(from.clocks) : new TrialClocks(trials);
  let active = from ? from.active.slice() : Int32Array.from({ length: trials }, (_, k) => k);
  const classes = new Uint8Array(trials);
  for (let step = (from?.step ?? 0) + 1; step <= maxSteps && active.length > 0; step++) {
    const batch: WeightBatch = { data, index: active };
    kernels.apply(batch, batch, batch);
    classify(batch, classes);
    let kept = 0;
    for (let k = 0; k < active.length; k++) {
      const t = active[k];
      if (clocks.observe(t, classes[k])) active[kept++] = t;
    }
    active = active.subarray(0, kept);
    await afterStep(step, () => ({ step, active, clocks: clocks.save() }));
  }
  return clocks;
}
