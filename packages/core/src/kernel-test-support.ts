import assert from 'node:assert/strict';
import type { NetworkShape } from './network';
import { RandomStreams } from './random';

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
