import type { NetworkKernels, NetworkShape, WeightBatch } from '@srnn/core';

/**
 * Replication loss of every network of a batch: mean |(N ◁ N)_i − w_i| over its weights (NaN for a
 * divergent network). `scratch` receives N ◁ N ([batch × W]); pass one to avoid an allocation.
 */
export function replicationLoss(kernels: NetworkKernels, batch: WeightBatch, weightCount: number, scratch: Float32Array = new Float32Array(batch.index.length * weightCount)): Float64Array {
  const n = batch.index.length;
  const index = Int32Array.from({ length: n }, (_, k) => k);
  const out: WeightBatch = { data: scratch, index };
  kernels.apply(batch, batch, out);
  const loss = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const base = batch.index[k] * weightCount;
    let sum = 0;
    for (let i = 0; i < weightCount; i++) sum += Math.abs(scratch[k * weightCount + i] - batch.data[base + i]);
    loss[k] = sum / weightCount;
  }
  return loss;
}

/** Flat positions of the ones of the hand-made fixpoint (PAPER.md §2); the same in both weightwise layouts. */
export const HAND_MADE_ONES = [0, 8, 12] as const;

/**
 * The hand-made non-trivial fixpoint of PAPER.md §2 for a weightwise 4 → 2 → 2 → 1 net without
 * bias (14 weights): 1 at flat positions 0, 8 and 12, 0 elsewhere — valid in both layouts.
 * Throws for any other network.
 */
export function handMadeFixpoint(network: NetworkShape): Float32Array {
  const options = (network as { options?: { width?: number; depth?: number; bias?: boolean } }).options;
  const fits = network.type === 'weightwise' && network.weightCount === 14 && options?.width === 2 && options?.depth === 2 && options?.bias === false;
  if (!fits) {
    throw new Error(`the hand-made fixpoint is defined for weightwise nets of width 2, depth 2, without bias (14 weights); this is ${network.type} with ${network.weightCount} weights`);
  }
  const weights = new Float32Array(14);
  for (const i of HAND_MADE_ONES) weights[i] = 1;
  return weights;
}
