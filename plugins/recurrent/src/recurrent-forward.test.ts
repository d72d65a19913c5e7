import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Activation, MatrixLayout } from '@srnn/mlp';
import { registryOf } from '@srnn/testing';
import { RecurrentJsKernels } from './recurrent-js-kernels';
import { RecurrentNetwork } from './recurrent-network';
import recurrentModule from './recurrent-module';

const registry = registryOf(recurrentModule);

interface Case {
  readonly width: number;
  readonly depth: number;
  readonly bias?: boolean;
  readonly activation?: Activation;
  readonly layout?: MatrixLayout;
}

/** N ◁ M with time both unrolled and looped on js (the tfjs backend's kernels are checked against the float64 reference in its own tests). */
function applyEverywhere(shape: Case, fn: number[], input: number[]): Map<string, Float32Array> {
  const net = new RecurrentNetwork({ activation: 'linear', bias: false, layout: 'out-in', ...shape });
  assert.equal(fn.length, net.weightCount);
  assert.equal(input.length, net.weightCount);
  const kernels = new Map([
    ['js', registry.kernelsFor(net, registry.backend('js'))],
    ['js, time unrolled', new RecurrentJsKernels(net.layout, net.options.activation, { apply: 'unrolled', train: 'unrolled' })],
    ['js, time looped', new RecurrentJsKernels(net.layout, net.options.activation, { apply: 'looped', train: 'looped' })],
  ]);
  const results = new Map<string, Float32Array>();
  for (const [name, k] of kernels) {
    const out = new Float32Array(net.weightCount);
    const one = Int32Array.of(0);
    k.apply({ data: Float32Array.from(fn), index: one }, { data: Float32Array.from(input), index: one }, { data: out, index: one });
    results.set(name, out);
  }
  return results;
}

function assertAll(results: Map<string, Float32Array>, expected: number[], tolerance = 0): void {
  for (const [name, out] of results) {
    expected.forEach((v, t) => assert.ok(Math.abs(out[t] - v) <= tolerance * Math.max(1, Math.abs(v)), `${name}, step ${t}: ${out[t]} vs ${v}`));
  }
}

describe('recurrent forward pass, computed by hand', () => {
  it('a linear 1-unit, 1-unit stack: h_t = 2 x_t + ½ h_{t−1}, y_t = −h_t + ¼ y_{t−1}', () => {
    // Weights [K0, R0, K1, R1]; M = (1, 2, −1, 0.5) is read as the sequence x_0 … x_3.
    // h = 2, 4 + 1 = 5, −2 + 2.5 = 0.5, 1 + 0.25 = 1.25
    // y = −2, −5 − 0.5 = −5.5, −0.5 − 1.375 = −1.875, −1.25 − 0.46875 = −1.71875
    assertAll(applyEverywhere({ width: 1, depth: 1 }, [2, 0.5, -1, 0.25], [1, 2, -1, 0.5]), [-2, -5.5, -1.875, -1.71875]);
  });

  it('with bias: weights [K0, R0, b0, K1, R1, b1], the bias after each layer’s recurrent kernel', () => {
    // h_t = x_t + ½ h_{t−1} + 1 over x = 0 … 5: 1, 2.5, 4.25, 6.125, 8.0625, 10.03125; y_t = 2 h_t − 1.
    assertAll(applyEverywhere({ width: 1, depth: 1, bias: true }, [1, 0.5, 1, 2, 0, -1], [0, 1, 2, 3, 4, 5]), [1, 4, 7.5, 11.25, 15.125, 19.0625]);
  });

  it('starts from h = 0 and applies the activation at every step (tanh, depth 0)', () => {
    // One 1-unit layer [K, R] = [0.5, −1] over x = (1, 2): y_0 = tanh(0.5), y_1 = tanh(1 − y_0).
    const y0 = Math.tanh(0.5);
    const y1 = Math.tanh(0.5 * 2 - y0);
    const results = applyEverywhere({ width: 1, depth: 0, activation: 'tanh' }, [0.5, -1], [1, 2]);
    for (const [name, out] of results) assert.deepEqual(Array.from(out), [Math.fround(y0), Math.fround(y1)], name);
  });

  it('relu cuts negative pre-activations at every step', () => {
    // [K0, R0, K1, R1] = [1, 1, −1, 1], x = (1, −3, 1, 1): h = 1, relu(−3 + 1) = 0, 1, 2;
    // y_t = relu(−h_t + y_{t−1}) = 0, 0, 0, 0; with K1 = 1 instead y_t = relu(h_t + y_{t−1}) = 1, 1, 2, 4.
    assertAll(applyEverywhere({ width: 1, depth: 1, activation: 'relu' }, [1, 1, -1, 1], [1, -3, 1, 1]), [0, 0, 0, 0]);
    assertAll(applyEverywhere({ width: 1, depth: 1, activation: 'relu' }, [1, 1, 1, 1], [1, -3, 1, 1]), [1, 1, 2, 4]);
  });

  for (const layout of ['out-in', 'in-out'] as const) {
    it(`a delay line in ${layout}: unit 1 takes unit 0 of the step before, so y_t = x_{t−1}`, () => {
      // Width 2, depth 1: K0 (2), R0 (2 × 2), K1 (2), R1 (1) = 9 weights. K0 = (1, 0) copies x into
      // unit 0; R0 from unit 0 to unit 1 is 1 (flat 2 + 1·2 + 0 = 4 in out-in, 2 + 0·2 + 1 = 3 in
      // in-out); K1 = (0, 1) reads unit 1.
      const fn = [1, 0, 0, 0, 0, 0, 0, 1, 0];
      fn[layout === 'out-in' ? 4 : 3] = 1;
      const x = [3, 1, 4, 1, 5, 9, 2, 6, 5];
      assertAll(applyEverywhere({ width: 2, depth: 1, layout }, fn, x), [0, 3, 1, 4, 1, 5, 9, 2, 6]);
    });
  }

  it('the two layouts define the same functions: transposed matrices give the same outputs', () => {
    // Width 2, depth 1, bias: K0 (2), R0 (4), b0 (2), K1 (2), R1 (1), b1 (1) = 12 weights.
    const outIn = [0.5, -0.25, 0.125, 0.5, -0.5, 0.25, 0.1, -0.2, 0.75, -0.5, 0.3, 0.05];
    const inOut = outIn.slice();
    [inOut[3], inOut[4]] = [outIn[4], outIn[3]];
    const x = [1, -1, 0.5, 2, -0.5, 0.25, 1.5, -2, 0, 1, 0.75, -0.25];
    const a = applyEverywhere({ width: 2, depth: 1, bias: true, activation: 'tanh', layout: 'out-in' }, outIn, x);
    const b = applyEverywhere({ width: 2, depth: 1, bias: true, activation: 'tanh', layout: 'in-out' }, inOut, x);
    assert.deepEqual(a.get('js'), b.get('js'));
  });
});
