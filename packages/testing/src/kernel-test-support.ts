import assert from 'node:assert/strict';
import { RandomStreams, type NetworkKernels, type NetworkShape } from '@srnn/core';

/**
 * Helpers shared by the kernel tests of every network type (and the benchmarks): random
 * populations, index batches and backend-agreement checks.
 */

/** `size` random networks from the seed's "init" stream, as one [size × W] array. */
export function randomPopulation(network: NetworkShape, size: number, seed: number, scheme = network.initSchemes[0]): Float32Array {
  const W = network.weightCount;
  const weights = new Float32Array(size * W);
  const rng = new RandomStreams(seed).stream('init');
  for (let i = 0; i < size; i++) network.initialize(scheme, weights.subarray(i * W, (i + 1) * W), rng);
  return weights;
}

export const indices = (...values: number[]): Int32Array => Int32Array.from(values);

/** Element-wise agreement within a relative tolerance; equal values (±∞ too) and NaN against NaN agree. */
export function assertAllClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string, tolerance = 1e-5): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    assert.ok(Math.abs(a[i] - b[i]) <= tolerance * Math.max(1, Math.abs(a[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/**
 * Two backends' kernels of one network (js first) apply alike on five particles `start` [5 × W]:
 * with an infinite and a NaN weight (which spread as in plain arithmetic, 0 · ∞ = NaN), and with
 * particle k rewriting particle (k + 1) % 5 into a separate output. Returns both outputs of the
 * non-finite case, for checks of how far NaN spreads in the network type.
 */
export function assertApplyAgrees(kernels: readonly [NetworkKernels, NetworkKernels], start: Float32Array, W: number, tolerance = 1e-5): Float32Array[] {
  const applyBoth = (data: Float32Array, fn: Int32Array, input: Int32Array) =>
    kernels.map((k) => {
      const out = new Float32Array(data.length);
      k.apply({ data, index: fn }, { data, index: input }, { data: out, index: indices(...fn.keys()) });
      return out;
    });
  const diverged = start.slice();
  diverged[W + 3] = Infinity;
  diverged[2 * W + 1] = Number.NaN;
  const spread = applyBoth(diverged, indices(1, 2, 0), indices(0, 0, 1));
  assertAllClose(spread[0], spread[1], 'apply with non-finite weights (js vs tfjs)', tolerance);
  const applied = applyBoth(start, indices(0, 1, 2, 3, 4), indices(1, 2, 3, 4, 0));
  assertAllClose(applied[0], applied[1], 'apply (js vs tfjs)', tolerance);
  return spread;
}
