import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier, PARTICLE_CLASSES } from '@srnn/core';
import type { MatrixLayout } from '@srnn/mlp';
import { registryOf } from '@srnn/testing';
import { WeightwiseNetwork } from './weightwise-network';
import weightwiseModule from './weightwise-module';

const registry = registryOf(weightwiseModule);
const js = registry.backend('js');

function classOf(weights: number[], layout: MatrixLayout = 'out-in', epsilon = 1e-5, strict = false): string {
  const net = new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout });
  const classifier = new Classifier(registry.kernelsFor(net, js), net.weightCount, { epsilon, strict });
  const codes = classifier.classify({ data: Float32Array.from(weights), index: Int32Array.of(0) });
  return PARTICLE_CLASSES[codes[0]];
}

/** 1 at flat positions 0, 8 and 12 (PAPER.md §2): the hand-made fixpoint in both layouts. */
const handMade = (): number[] => Array.from({ length: 14 }, (_, i) => (i === 0 || i === 8 || i === 12 ? 1 : 0));

describe('classification of weightwise networks (PAPER.md §2)', () => {
  it('the hand-made network is a non-trivial fixpoint in the out-in layout', () => {
    assert.equal(classOf(handMade(), 'out-in'), 'fixpoint');
  });

  it('the hand-made network is a non-trivial fixpoint in the in-out layout', () => {
    assert.equal(classOf(handMade(), 'in-out'), 'fixpoint');
  });

  it('any net whose product of matrices is (1, 0, 0, 0) replicates itself', () => {
    // First matrix rows (2, 0, 0, 0) and (5, 0, 0, 0); second [[0.25, 0], [0, 0]]; last [2, 7]:
    // v = [2, 7] · [[0.25, 0], [0, 0]] · W1 = (0.5 · 2, 0, 0, 0) = (1, 0, 0, 0).
    const w = [2, 0, 0, 0, 5, 0, 0, 0, 0.25, 0, 0, 0, 2, 7];
    assert.equal(classOf(w), 'fixpoint');
  });

  it('the all-zero net is zero, not fixpoint, although it is one', () => {
    assert.equal(classOf(new Array(14).fill(0)), 'zero');
  });

  it('a net within ε of zero counts as zero (inclusive ε, strict ε for 2019)', () => {
    assert.equal(classOf(new Array(14).fill(0.5e-5)), 'zero');
    assert.equal(classOf(new Array(14).fill(2 ** -17), 'out-in', 2 ** -17, false), 'zero');
    assert.notEqual(classOf(new Array(14).fill(2 ** -17), 'out-in', 2 ** -17, true), 'zero');
  });

  it('NaN or infinite weights are divergent, before anything else', () => {
    const w = handMade();
    w[3] = Number.NaN;
    assert.equal(classOf(w), 'divergent');
    assert.equal(classOf([Infinity, ...new Array(13).fill(0)]), 'divergent');
  });

  it('a net that negates every weight is a second-order fixpoint', () => {
    // v = (-1, 0, 0, 0): N ◁ M = -M, so N ◁ N = -W ≠ W but N's function applied twice returns W.
    const w = handMade();
    w[0] = -1;
    assert.equal(classOf(w), 'second-order');
  });

  it('a random net is other', () => {
    assert.equal(classOf([0.3, -0.2, 0.1, 0.4, -0.5, 0.2, 0.1, 0.3, 0.6, -0.1, 0.2, 0.5, 0.7, -0.4]), 'other');
  });

  it('a perturbed fixpoint is a fixpoint only within ε', () => {
    const w = handMade();
    w[5] = 4e-6; // a weight whose row does not feed v: N ◁ N changes it by ≤ ε
    assert.equal(classOf(w), 'fixpoint');
    w[0] = 1.01;
    assert.equal(classOf(w), 'other');
  });
});
