import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier, PARTICLE_CLASSES } from '@srnn/core';
import { registryOf } from '@srnn/testing';
import { FftNetwork, type FftOptions } from './fft-network';
import fftModule from './fft-module';

const registry = registryOf(fftModule);
const js = registry.backend('js');
const defaults: FftOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 };
/** k = 2 (coefficient 0 only), depth 0: the net is one 2 × 2 matrix, 4 weights. */
const direct: FftOptions = { ...defaults, depth: 0, coefficients: 2 };

function classOf(weights: ArrayLike<number>, options: FftOptions = direct, epsilon = 1e-5): string {
  const net = new FftNetwork(options);
  assert.equal(weights.length, net.weightCount);
  const classifier = new Classifier(registry.kernelsFor(net, js), net.weightCount, { epsilon, strict: false });
  const codes = classifier.classify({ data: Float32Array.from(weights), index: Int32Array.of(0) });
  return PARTICLE_CLASSES[codes[0]];
}

describe('classification of fft networks (PAPER.md §2)', () => {
  it('the direct k = 2 net of all ones is a non-trivial fixpoint', () => {
    // Coefficient 0 of (1, 1, 1, 1) is 4 + 0i; out-in row 0 maps it to 1·4 + 1·0 = 4; the inverse
    // transform spreads 4/4 = 1 to every weight. (The output im0 = 4 is dropped: X_0 of a real signal is real.)
    assert.equal(classOf([1, 1, 1, 1]), 'fixpoint');
    assert.equal(classOf([1, 1, 1, 1], { ...direct, layout: 'in-out' }), 'fixpoint');
  });

  it('with bias the constant net 5/6 is a fixpoint: (6c² + c)/6 = c', () => {
    assert.equal(classOf(new Array(6).fill(5 / 6), { ...direct, bias: true }), 'fixpoint');
  });

  it('the paper’s shape 4 → 2 → 2 → 4 has non-trivial fixpoints (one found by Newton’s method)', () => {
    // A band-limited weight vector (coefficients 0 and 1 only) whose MLP maps its own coefficients
    // (re0, im0, re1, im1) to (re0, ·, re1, im1).
    const net = new FftNetwork(defaults);
    const w = new Float32Array(20);
    net.reduction.expand(Float64Array.of(-0.3334910063159906, 0, 5.090350863210805, 5.216996709067151), w, 0);
    assert.equal(classOf(w, defaults), 'fixpoint');
    w[3] += 1e-3;
    assert.equal(classOf(w, defaults), 'other');
  });

  it('the direct net of all −1 maps itself to all ones and back: a second-order fixpoint', () => {
    assert.equal(classOf([-1, -1, -1, -1]), 'second-order');
  });

  it('the all-zero net is zero, not fixpoint, although it is one', () => {
    assert.equal(classOf([0, 0, 0, 0]), 'zero');
    assert.equal(classOf(new Array(20).fill(0), defaults), 'zero');
  });

  it('NaN or infinite weights are divergent, before anything else', () => {
    assert.equal(classOf([1, Number.NaN, 1, 1]), 'divergent');
    assert.equal(classOf([1, 1, Infinity, 1]), 'divergent');
  });

  it('a fixpoint perturbed within ε stays a fixpoint, beyond ε it is other', () => {
    assert.equal(classOf([1, 1, 1 + 4e-6, 1]), 'fixpoint');
    assert.equal(classOf([1, 1, 1.01, 1]), 'other');
  });

  it('a random net is other', () => {
    const w = [0.3, -0.2, 0.1, 0.4, -0.5, 0.2, 0.1, 0.3, 0.6, -0.1, 0.2, 0.5, 0.7, -0.4, 0.05, -0.3, 0.2, 0.1, -0.6, 0.35];
    assert.equal(classOf(w, defaults), 'other');
  });
});
