import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '@srnn/core';
import { registryOf } from '@srnn/testing';
import { FftNetwork, type FftOptions } from './fft-network';
import { FftReduction } from './fft-reduction';
import fftModule from './fft-module';

const registry = registryOf(fftModule);
const js = registry.backend('js');
const defaults: FftOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 };

const reduce = (r: FftReduction, x: ArrayLike<number>) => {
  const out = new Float64Array(r.size);
  r.reduce(Float32Array.from(x), 0, out);
  return out;
};
const expand = (r: FftReduction, values: ArrayLike<number>) => {
  const out = new Float32Array(r.weightCount);
  r.expand(Float64Array.from(values), out, 0);
  return out;
};
const energy = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v * v, 0);
/** (1/n)(|X_0|² + 2 Σ_m≥1 |X_m|²): the energy of the signal the kept coefficients describe (no Nyquist term here). */
const parseval = (X: Float64Array, n: number) => Array.from({ length: X.length / 2 }, (_, m) => (m === 0 ? 1 : 2) * (X[2 * m] ** 2 + X[2 * m + 1] ** 2)).reduce((a, b) => a + b) / n;

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function randomVector(n: number, seed: number): Float32Array {
  const rng = new RandomStreams(seed).stream('vector');
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

describe('fft reduction (PAPER.md §1; numpy’s rfft/irfft normalisation)', () => {
  it('the default net is an MLP 4 → 2 → 2 → 4 without bias: 20 weights', () => {
    const net = new FftNetwork(defaults);
    assert.deepEqual(net.layout.sizes, [4, 2, 2, 4]);
    assert.equal(net.weightCount, 20);
    assert.equal(net.reduction.size, 4);
  });

  it('reduces to the lowest k/2 coefficients of numpy.fft.rfft as (re0, im0, re1, im1, …)', () => {
    // numpy.fft.rfft([1, 2, 3, 4, 5]) = [15, -2.5+3.4409548011779334j, -2.5+0.8122992405822659j]
    assertClose(reduce(new FftReduction(5, 6), [1, 2, 3, 4, 5]), [15, 0, -2.5, 3.4409548011779334, -2.5, 0.8122992405822659], 1e-12, 'X');
    assertClose(reduce(new FftReduction(5, 2), [1, 2, 3, 4, 5]), [15, 0], 0, 'X0');
  });

  it('expands like numpy.fft.irfft of the spectrum with every other coefficient zero (inverse scaled by 1/n)', () => {
    // numpy.fft.irfft([3+7j, 1-2j, 0.5+0.25j], n=7): the imaginary part of coefficient 0 is dropped.
    const expected = [0.8571428571428571, 0.9520458062203371, 0.8243775403530036, 0.5640003948225917, -0.04355694737862167, -0.351809179157303, 0.197799527997135];
    assertClose(expand(new FftReduction(7, 6), [3, 7, 1, -2, 0.5, 0.25]), expected, 1e-7, 'x');
    // numpy.fft.irfft([2, 1-1j, 0.5+4j], n=4): the Nyquist coefficient (m = n/2) is real too and counts once.
    assertClose(expand(new FftReduction(4, 6), [2, 0, 1, -1, 0.5, 4]), [1.125, 0.875, 0.125, -0.125], 0, 'x with Nyquist');
  });

  it('a constant vector maps to coefficient 0 only, and back to itself', () => {
    for (const n of [20, 21, 7]) {
      const r = new FftReduction(n, 6);
      const X = reduce(r, new Array(n).fill(0.75));
      assertClose(X, [0.75 * n, 0, 0, 0, 0, 0], 1e-13, `n ${n}`);
      assertClose(expand(r, X), new Array(n).fill(0.75), 0, `n ${n} back`);
    }
  });

  it('reduce ∘ expand returns a band-limited vector (only the kept frequencies) unchanged', () => {
    for (const [n, k] of [
      [20, 4],
      [21, 6],
      [16, 8],
    ]) {
      const r = new FftReduction(n, k);
      const coefficients = randomVector(k, n);
      coefficients[1] = 0; // a real signal's coefficient 0 is real
      const x = expand(r, coefficients); // band-limited by construction
      assertClose(expand(r, reduce(r, x)), x, 1e-6, `n ${n}, k ${k}`);
      assertClose(reduce(r, x), coefficients, 1e-5, `coefficients, n ${n}, k ${k}`);
    }
  });

  it('expand ∘ reduce is the orthogonal projection onto the kept frequencies (Parseval, Bessel, idempotence)', () => {
    for (const [n, k] of [
      [20, 4],
      [21, 6],
      [66, 10],
    ]) {
      const r = new FftReduction(n, k);
      const x = randomVector(n, k);
      const X = reduce(r, x);
      const projected = expand(r, X);
      // Parseval: the projection's energy is that of its coefficients; Bessel: at most the signal's.
      assert.ok(Math.abs(energy(projected) - parseval(X, n)) <= 1e-5 * energy(x), `Parseval, n ${n}`);
      assert.ok(energy(projected) <= energy(x) + 1e-6, `Bessel, n ${n}`);
      assertClose(expand(r, reduce(r, projected)), projected, 1e-6, `idempotent, n ${n}`);
      // The residual has no component at the kept frequencies.
      const residual = Array.from(x, (v, t) => v - projected[t]);
      assertClose(reduce(r, residual), new Array(k).fill(0), 1e-5, `residual, n ${n}`);
    }
  });

  it('a NaN weight spreads to every coefficient and every rebuilt weight', () => {
    const r = new FftReduction(20, 4);
    const x = randomVector(20, 1);
    x[7] = Number.NaN;
    const X = reduce(r, x);
    assert.ok(X.every(Number.isNaN), `${X}`); // im0 too: it sums −w · sin 0, and NaN · 0 = NaN
    assert.ok(expand(r, X).every(Number.isNaN));
    assert.ok(expand(r, [1, Number.NaN, 0, 0]).every(Number.isNaN), 'even a non-finite imaginary part of coefficient 0');
  });

  it('refuses an odd k and more coefficients than a real signal has', () => {
    assert.throws(() => new FftReduction(20, 3), /even/);
    assert.throws(() => new FftReduction(4, 8), /only 3 independent Fourier coefficients/);
    assert.doesNotThrow(() => new FftReduction(4, 6));
  });

  it('one application rewrites a net into a band-limited one', () => {
    const net = new FftNetwork({ ...defaults, activation: 'tanh', bias: true });
    const W = net.weightCount;
    const w = randomVector(W, 3);
    const out = new Float32Array(W);
    const batch = { data: w, index: Int32Array.of(0) };
    registry.kernelsFor(net, js).apply(batch, batch, { data: out, index: Int32Array.of(0) });
    assertClose(expand(net.reduction, reduce(net.reduction, out)), out, 1e-6, 'projection of the result');
    assert.notDeepEqual(out, w);
  });
});
