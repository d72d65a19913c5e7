import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier, PARTICLE_CLASSES } from '@srnn/core';
import { registryOf } from '@srnn/testing';
import { AggregatingNetwork, type AggregatingOptions } from './aggregating-network';
import aggregatingModule from './aggregating-module';

const registry = registryOf(aggregatingModule);
const js = registry.backend('js');
const defaults: AggregatingOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', aggregates: 4, aggregator: 'average', shuffle: 'none' };
/** Depth 0, k = 4: the net is one 4 × 4 matrix, 16 weights, groups of 4. */
const direct: AggregatingOptions = { ...defaults, depth: 0 };

function classOf(weights: number[], options: AggregatingOptions = direct, epsilon = 1e-5): string {
  const net = new AggregatingNetwork(options);
  assert.equal(weights.length, net.weightCount);
  const classifier = new Classifier(registry.kernelsFor(net, js), net.weightCount, { epsilon, strict: false });
  const codes = classifier.classify({ data: Float32Array.from(weights), index: Int32Array.of(0) });
  return PARTICLE_CLASSES[codes[0]];
}

/** Group j of the direct net (16 weights, groups of 4) holds c[j] in every weight. */
const groupConstant = (c: number[]): number[] => c.flatMap((v) => [v, v, v, v]);

describe('classification of aggregating networks (PAPER.md §2)', () => {
  it('a net whose MLP is the identity on its own aggregates is a non-trivial fixpoint', () => {
    // out-in: group j is row j of the matrix, so output j = c_j · Σ a = c_j · Σ c. With Σ c = 1 the
    // MLP maps the aggregates c to themselves, and de-aggregation rebuilds exactly the weights.
    assert.equal(classOf(groupConstant([0.125, 0.25, 0.5, 0.125])), 'fixpoint');
    assert.equal(classOf(groupConstant([0.125, 0.25, 0.5, 0.125]), { ...direct, aggregator: 'max' }), 'fixpoint');
  });

  it('every group-constant net of the direct shape whose group values sum to 1 is a fixpoint (a continuum)', () => {
    for (const raw of [
      [1, 2, 3, 4],
      [-3, 5, 0.5, 2],
      [7, 0, 0, 0],
    ]) {
      const sum = raw.reduce((a, b) => a + b);
      assert.equal(classOf(groupConstant(raw.map((v) => v / sum))), 'fixpoint', `${raw}`);
    }
  });

  it('in the in-out layout the constant net 1/4 is a fixpoint', () => {
    // in-out: group j is input j's row, so every output is Σ c_j² = 4 · 1/16 = 1/4.
    assert.equal(classOf(new Array(16).fill(0.25), { ...direct, layout: 'in-out' }), 'fixpoint');
  });

  it('the paper’s shape 4 → 2 → 2 → 4 with every weight 16^(-1/3) is a fixpoint', () => {
    // Aggregates all c; hidden 4c², then 8c³; outputs 16c⁴ = c exactly when c³ = 1/16.
    assert.equal(classOf(new Array(20).fill(16 ** (-1 / 3)), defaults), 'fixpoint');
    assert.equal(classOf(new Array(20).fill(0.4), defaults), 'other');
  });

  it('a group-constant net whose group values sum to −1 negates itself: a second-order fixpoint', () => {
    assert.equal(classOf(groupConstant([-0.125, -0.25, -0.5, -0.125])), 'second-order');
  });

  it('the all-zero net is zero, not fixpoint, although it is one', () => {
    assert.equal(classOf(new Array(16).fill(0)), 'zero');
    assert.equal(classOf(new Array(20).fill(0), defaults), 'zero');
  });

  it('NaN or infinite weights are divergent, before anything else', () => {
    const w = groupConstant([0.125, 0.25, 0.5, 0.125]);
    w[6] = Number.NaN;
    assert.equal(classOf(w), 'divergent');
    assert.equal(classOf([-Infinity, ...new Array(15).fill(0)]), 'divergent');
  });

  it('a fixpoint perturbed within ε stays a fixpoint, beyond ε it is other', () => {
    const w = groupConstant([0.125, 0.25, 0.5, 0.125]);
    w[9] += 4e-6;
    assert.equal(classOf(w), 'fixpoint');
    w[9] += 1e-2;
    assert.equal(classOf(w), 'other');
  });

  it('a random net is other', () => {
    const w = [0.3, -0.2, 0.1, 0.4, -0.5, 0.2, 0.1, 0.3, 0.6, -0.1, 0.2, 0.5, 0.7, -0.4, 0.05, -0.3, 0.2, 0.1, -0.6, 0.35];
    assert.equal(classOf(w, defaults), 'other');
  });
});
