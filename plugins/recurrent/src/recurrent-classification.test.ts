import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier, PARTICLE_CLASSES } from '@srnn/core';
import type { Activation, MatrixLayout } from '@srnn/mlp';
import { registryOf } from '@srnn/testing';
import { RecurrentNetwork } from './recurrent-network';
import recurrentModule from './recurrent-module';

const registry = registryOf(recurrentModule);
const js = registry.backend('js');

interface Setting {
  readonly layout?: MatrixLayout;
  readonly activation?: Activation;
  readonly bias?: boolean;
}

function classOf(weights: number[], setting: Setting = {}, epsilon = 1e-5): string {
  const { layout = 'out-in', activation = 'linear', bias = false } = setting;
  const net = new RecurrentNetwork({ width: 2, depth: 2, activation, bias, layout });
  assert.equal(weights.length, net.weightCount);
  const classifier = new Classifier(registry.kernelsFor(net, js), net.weightCount, { epsilon, strict: false });
  return PARTICLE_CLASSES[classifier.classify({ data: Float32Array.from(weights), index: Int32Array.of(0) })[0]];
}

/**
 * Default shape, 17 weights: layer 0 K at 0–1, R at 2–5; layer 1 K at 6–9, R at 10–13; layer 2 K
 * at 14–15, R at 16. A 1 on the path input → unit 0 → unit 0 → output (flat 0, 6 and 14, the
 * same in both layouts) and 0 elsewhere makes y_t = x_t: the net computes the identity on
 * sequences, so N ◁ N = W whatever W is — a non-trivial fixpoint.
 */
const passThrough = (): number[] => Array.from({ length: 17 }, (_, i) => (i === 0 || i === 6 || i === 14 ? 1 : 0));

describe('classification of recurrent networks (PAPER.md §2)', () => {
  for (const layout of ['out-in', 'in-out'] as const) {
    it(`a linear pass-through net is a non-trivial fixpoint (${layout}, js)`, () => {
      assert.equal(classOf(passThrough(), { layout }), 'fixpoint');
    });
  }

  it('the pass-through net reproduces its own weights exactly', () => {
    const net = new RecurrentNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });
    const w = Float32Array.from(passThrough());
    const out = new Float32Array(17);
    const one = Int32Array.of(0);
    registry.kernelsFor(net, js).apply({ data: w, index: one }, { data: w, index: one }, { data: out, index: one });
    assert.deepEqual(out, w);
  });

  it('any net whose path gains multiply to 1 and whose other weights do not reach the output replicates itself', () => {
    // Gains 2 · 0.25 · 2 = 1 on the path. Off the path (out-in): layer 0 unit 1 reads x with 0.3 and
    // itself with −0.7 (flat 1, 5); layer 1 unit 1 reads layer 0 unit 1 with 0.5 (flat 9) and layer 0
    // unit 0 with 4 (flat 8). Layer 2 reads only unit 0 of layer 1, so none of them reaches the output:
    // the replicators form a continuum, as for weightwise nets.
    const w = passThrough();
    [w[0], w[6], w[14]] = [2, 0.25, 2];
    [w[1], w[5], w[9], w[8]] = [0.3, -0.7, 0.5, 4];
    assert.equal(classOf(w), 'fixpoint');
  });

  it('a pass-through net with a recurrent weight on the path is not a fixpoint', () => {
    // Output recurrence 0.5 (flat 16): y_t = x_t + 0.5 y_{t−1}, so N ◁ N has y_1 = w_1 + 0.5 w_0 = 0.5 ≠ w_1 = 0.
    const w = passThrough();
    w[16] = 0.5;
    assert.equal(classOf(w), 'other');
  });

  it('a delay line is not a fixpoint: it shifts its weights by one step', () => {
    // Layer 0 unit 1 takes unit 0 of the step before (out-in flat 2 + 1·2 + 0 = 4); layer 1 unit 0
    // reads layer 0 unit 1 (flat 6 + 0·2 + 1 = 7); layer 2 reads layer 1 unit 0 (flat 14): y_t = x_{t−1}.
    // N ◁ N = (0, w_0, …, w_15): a fixpoint needs w_t = w_{t−1} for every t with w_{−1} = 0, i.e. W = 0.
    const w = new Array<number>(17).fill(0);
    [w[0], w[4], w[7], w[14]] = [1, 1, 1, 1];
    assert.equal(classOf(w), 'other');
  });

  it('a net that negates its input is a second-order fixpoint', () => {
    // y_t = −x_t: N ◁ N = −W ≠ W, but N's function applied twice returns W.
    const w = passThrough();
    w[14] = -1;
    assert.equal(classOf(w), 'second-order');
  });

  it('the pass-through weights are no fixpoint with tanh: tanh(tanh(tanh(x))) ≠ x', () => {
    assert.equal(classOf(passThrough(), { activation: 'tanh' }), 'other');
  });

  it('with bias, the pass-through net is a fixpoint only while the biases on its path are zero', () => {
    // 22 weights: layer 0 K 0–1, R 2–5, b 6–7; layer 1 K 8–11, R 12–15, b 16–17; layer 2 K 18–19, R 20, b 21.
    const w = Array.from({ length: 22 }, (_, i): number => (i === 0 || i === 8 || i === 18 ? 1 : 0));
    assert.equal(classOf(w, { bias: true }), 'fixpoint');
    w[7] = 0.25; // bias of layer 0 unit 1, which does not reach the output
    assert.equal(classOf(w, { bias: true }), 'fixpoint');
    w[21] = 0.1; // output bias: y_t = x_t + 0.1
    assert.equal(classOf(w, { bias: true }), 'other');
  });

  it('the all-zero net is zero, not fixpoint, although it is one', () => {
    assert.equal(classOf(new Array(17).fill(0)), 'zero');
    assert.equal(classOf(new Array(17).fill(0.5e-5)), 'zero');
  });

  it('NaN or infinite weights are divergent, before anything else', () => {
    const w = passThrough();
    w[3] = Number.NaN;
    assert.equal(classOf(w), 'divergent');
    assert.equal(classOf([Infinity, ...new Array(16).fill(0)]), 'divergent');
  });

  it('a random net is other', () => {
    assert.equal(classOf([0.3, -0.2, 0.1, 0.4, -0.5, 0.2, 0.1, 0.3, 0.6, -0.1, 0.2, 0.5, 0.7, -0.4, 0.25, -0.6, 0.35]), 'other');
  });

  it('a perturbed pass-through net is a fixpoint only within ε', () => {
    const w = passThrough();
    w[6] = 1 + 4e-6; // y = 1.000004 x: |Δw| ≤ 4e-6 · max |w| = 4e-6 ≤ ε
    assert.equal(classOf(w), 'fixpoint');
    w[6] = 1.01;
    assert.equal(classOf(w), 'other');
  });
});
