import type { WeightBatch } from '@srnn/core';

/** A WebAssembly module's memory viewed as rows of weights. */
export type Rows = Float32Array | Float64Array;

/** Whether the batch's first n rows are one run of the population (one copy moves them). */
export function contiguous(index: Int32Array, n: number): boolean {
  const first = index[0];
  for (let k = 1; k < n; k++) if (index[k] !== first + k) return false;
  return true;
}

/** Copies rows index[k] of the batch (k < n, W weights each) into rows start + k, and zeroes the padding rows up to `padded`. */
export function gatherRows(rows: Rows, start: number, W: number, batch: WeightBatch, n: number, padded: number, run = contiguous(batch.index, n)): void {
  const to = start * W;
  const { data, index } = batch;
  if (run) rows.set(data.subarray(index[0] * W, (index[0] + n) * W), to);
  else {
    for (let k = 0; k < n; k++) {
      const from = index[k] * W;
      const at = to + k * W;
      for (let r = 0; r < W; r++) rows[at + r] = data[from + r];
    }
  }
  if (padded > n) rows.fill(0, to + n * W, to + padded * W);
}

/** Copies rows start + k back into rows index[k] of the batch (k < n). */
export function scatterRows(rows: Rows, start: number, W: number, batch: WeightBatch, n: number, run = contiguous(batch.index, n)): void {
  const from = start * W;
  const { data, index } = batch;
  if (run) data.set(rows.subarray(from, from + n * W), index[0] * W);
  else {
    for (let k = 0; k < n; k++) {
      const to = index[k] * W;
      const at = from + k * W;
      for (let r = 0; r < W; r++) data[to + r] = rows[at + r];
    }
  }
}
