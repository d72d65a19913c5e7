import assert from 'node:assert/strict';
import { RandomStreams, type NetworkKernels, type NetworkShape, type TrainOptions } from '@srnn/core';

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

/**
 * Bit-for-bit equality of two arrays of numbers (so +0 and -0 differ), NaN agreeing with any NaN:
 * a NaN's sign and payload are no value in JavaScript, and V8 does not keep them alike between
 * the interpreter and optimised code.
 */
export function assertSameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

/**
 * Two js kernels of one network — e.g. with weights in locals and in arrays — compute the same
 * bits on the networks `start` [P × W] (P ≥ 3): apply (each network rewriting the next) and three
 * steps of self-training each with full batch without and with momentum and with batch 1 (the loss
 * reported too); on `start`, on a copy with an infinite and a NaN weight and on one of magnitudes
 * ±2³⁰ and ±2⁻³⁰ (sums whose float64 rounding, so the order of their terms, shows in float32). Each
 * also in Float64Arrays, which js kernels read and write as they do Float32Arrays: the stores then
 * keep every float64 result, so that any change of the operations or of their order shows.
 */
export function assertKernelsIdentical(kernels: readonly [NetworkKernels, NetworkKernels], start: Float32Array, W: number): void {
  const P = start.length / W;
  const all = indices(...Array.from({ length: P }, (_, i) => i));
  const next = indices(...Array.from({ length: P }, (_, i) => (i + 1) % P));
  const diverged = start.slice();
  diverged[W + 3] = Infinity;
  diverged[2 * W + 1] = Number.NaN;
  const wide = start.map((v, i) => Math.sign(v) * 2 ** ((i * 7) % 3 === 0 ? 30 : -30));
  for (const precision of [32, 64] as const) {
    // a Float64Array where the kernels expect a Float32Array (see above)
    const array = (from: ArrayLike<number> | number) => (precision === 32 ? new Float32Array(from as number) : (new Float64Array(from as number) as unknown as Float32Array));
    for (const [what, data] of [
      ['finite', array(start)],
      ['wide range', array(wide)],
      ['non-finite', array(diverged)],
    ] as const) {
      const applied = kernels.map((k) => {
        const out = array(data.length);
        k.apply({ data, index: all }, { data, index: next }, { data: out, index: all });
        return out;
      });
      assertSameBits(applied[0], applied[1], `apply (${what}, float${precision})`);
      for (const [mode, momentum, batch] of [
        ['full batch', 0, 'full'],
        ['momentum', 0.9, 'full'],
        ['batch 1', 0.9, 1],
      ] as const) {
        const trained = kernels.map((k) => {
          const w = array(data);
          const buffer = array(w.length);
          const loss = array(P);
          const rng = new RandomStreams(3).stream('order');
          const options: TrainOptions = { lr: 0.01, momentum, batch, rng, momentumBuffer: { data: buffer, index: all } };
          for (let s = 0; s < 3; s++) k.train({ data: w, index: all }, { data: w, index: all }, options, loss);
          return { w, buffer, loss };
        });
        const where = `train ${mode} (${what}, float${precision})`;
        assertSameBits(trained[0].w, trained[1].w, `${where}: weights`);
        assertSameBits(trained[0].buffer, trained[1].buffer, `${where}: momentum buffer`);
        assertSameBits(trained[0].loss, trained[1].loss, `${where}: loss`);
      }
      // Learning from partners (data another batch than params), the loss not asked for. The partners
      // are a copy: an entry may alias only its own rows (NetworkKernels), not another entry's.
      const learned = kernels.map((k) => {
        const w = array(data);
        const partners = array(data);
        for (let s = 0; s < 3; s++) {
          k.train({ data: w, index: all }, { data: partners, index: next }, { lr: 0.01, momentum: 0, batch: 'full' });
          partners.set(w);
        }
        return w;
      });
      assertSameBits(learned[0], learned[1], `learn from partners (${what}, float${precision})`);
    }
  }
}
