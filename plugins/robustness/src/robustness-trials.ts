import type { NetworkKernels, WeightBatch } from '@srnn/core';
import { TrialClocks } from './trial-clock';

/**
 * Runs robustness trials: every row of `data` ([trials × W], modified in place) self-applies up to
 * `maxSteps` times, all still-active trials in one kernel call per step, each observed by its
 * clock after every step (see TrialClocks). `afterStep(step)` is awaited after every step taken.
 */
export async function runTrials(
  kernels: NetworkKernels,
  classify: (batch: WeightBatch, out: Uint8Array) => Uint8Array,
  data: Float32Array,
  weightCount: number,
  maxSteps: number,
  afterStep: (step: number) => Promise<void> | void = () => {},
): Promise<TrialClocks> {
  const trials = data.length / weightCount;
  const clocks = new TrialClocks(trials);
  let active = Int32Array.from({ length: trials }, (_, k) => k);
  const classes = new Uint8Array(trials);
  for (let step = 1; step <= maxSteps && active.length > 0; step++) {
    const batch: WeightBatch = { data, index: active };
    kernels.apply(batch, batch, batch);
    classify(batch, classes);
    let kept = 0;
    for (let k = 0; k < active.length; k++) {
      const t = active[k];
      if (clocks.observe(t, classes[k])) active[kept++] = t;
    }
    active = active.subarray(0, kept);
    await afterStep(step);
  }
  return clocks;
}
