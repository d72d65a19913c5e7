import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '@srnn/core';
import { randomPopulation, indices, registryOf } from '@srnn/testing';
import { AggregatingNetwork, type AggregatingOptions } from './aggregating-network';
import { AggregatingReduction } from './aggregating-reduction';
import aggregatingModule from './aggregating-module';

const registry = registryOf(aggregatingModule);
const js = registry.backend('js');
const defaults: AggregatingOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', aggregates: 4, aggregator: 'average', shuffle: 'none' };

/** Applies every particle to itself once (js kernels) and returns the new weights. */
function selfApplied(net: AggregatingNetwork, weights: Float32Array): Float32Array {
  const P = weights.length / net.weightCount;
  const all = Int32Array.from({ length: P }, (_, i) => i);
  const out = weights.slice();
  registry.kernelsFor(net, js, new RandomStreams(1).stream('kernels')).apply({ data: weights, index: all }, { data: weights, index: all }, { data: out, index: all });
  return out;
}

describe('aggregating reduction (PAPER.md §1)', () => {
  it('the default net is an MLP 4 → 2 → 2 → 4 without bias: 20 weights', () => {
    const net = new AggregatingNetwork(defaults);
    assert.deepEqual(net.layout.sizes, [4, 2, 2, 4]);
    assert.equal(net.weightCount, 20);
  });

  it('cuts n weights into k consecutive groups of ⌊n/k⌋; leftovers join the last group', () => {
    assert.deepEqual([...new AggregatingReduction(20, 4).bounds], [0, 5, 10, 15, 20]);
    assert.deepEqual([...new AggregatingReduction(23, 4).bounds], [0, 5, 10, 15, 23]);
    assert.deepEqual([...new AggregatingReduction(7, 3).bounds], [0, 2, 4, 7]);
    assert.deepEqual([...new AggregatingReduction(5, 1).bounds], [0, 5]);
  });

  it('refuses more aggregates than weights', () => {
    assert.throws(() => new AggregatingReduction(3, 4), /3 weights cannot be cut into 4 aggregates/);
  });

  it('average takes each group’s mean, max its maximum', () => {
    const w = Float32Array.of(9, 1, 2, 3, 4, -1, -2, -3, 0.5, 0.25, 0.75);
    const out = new Float64Array(3);
    new AggregatingReduction(9, 3, 'average').reduce(w, 2, out);
    assert.deepEqual([...out], [3, -2, 0.5]);
    new AggregatingReduction(9, 3, 'max').reduce(w, 2, out);
    assert.deepEqual([...out], [4, -1, 0.75]);
  });

  it('a NaN weight makes its group’s aggregate NaN with either aggregator', () => {
    const w = Float32Array.of(1, Number.NaN, 2, 3);
    for (const aggregator of ['average', 'max'] as const) {
      const out = new Float64Array(2);
      new AggregatingReduction(4, 2, aggregator).reduce(w, 0, out);
      assert.ok(Number.isNaN(out[0]), aggregator);
      assert.equal(out[1], aggregator === 'max' ? 3 : 2.5);
    }
  });

  it('de-aggregation writes each value to every weight of its group', () => {
    const out = new Float32Array(9).fill(7);
    new AggregatingReduction(7, 3).expand(Float64Array.of(0.5, -1, 2), out, 1);
    assert.deepEqual([...out], [7, 0.5, 0.5, -1, -1, 2, 2, 2, 7]);
  });

  for (const aggregator of ['average', 'max'] as const) {
    it(`after one application each group’s weights are equal (${aggregator})`, () => {
      for (const options of [defaults, { ...defaults, width: 3, depth: 1, bias: true, activation: 'tanh' as const, aggregates: 3 }]) {
        const net = new AggregatingNetwork({ ...options, aggregator });
        const W = net.weightCount;
        const out = selfApplied(net, randomPopulation(net, 10, 3));
        const { bounds } = net.reduction;
        for (let p = 0; p < 10; p++) {
          for (let j = 0; j < net.reduction.size; j++) {
            const group = out.subarray(p * W + bounds[j], p * W + bounds[j + 1]);
            assert.ok(
              group.every((v) => v === group[0]),
              `particle ${p}, group ${j}: ${[...group]}`,
            );
          }
        }
      }
    });
  }

  for (const aggregator of ['average', 'max'] as const) {
    it(`an identity MLP rewrites each group of its target to the group’s ${aggregator === 'max' ? 'maximum' : 'mean'}`, () => {
      // Depth 0, k = 4: the net is the 4 × 4 identity matrix (16 weights, groups of 4).
      const net = new AggregatingNetwork({ ...defaults, depth: 0, aggregator });
      const identity = Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));
      const target = Float32Array.of(1, 2, 3, 6, -1, -1, -1, -1, 0.5, 0, 0.25, -0.75, 4, 8, 16, 4);
      const data = Float32Array.of(...identity, ...target);
      const out = new Float32Array(16);
      registry.kernelsFor(net, js).apply({ data, index: indices(0) }, { data, index: indices(1) }, { data: out, index: indices(0) });
      const expected = aggregator === 'max' ? [6, -1, 0.5, 16] : [3, -1, 0, 8];
      assert.deepEqual(
        [...out],
        expected.flatMap((v) => [v, v, v, v]),
      );
    });
  }

  it('shuffle: random permutes the de-aggregated weights, reproducibly for a seed', () => {
    const shuffled = new AggregatingNetwork({ ...defaults, shuffle: 'random' });
    const plain = new AggregatingNetwork(defaults);
    const start = randomPopulation(plain, 1, 7);
    const run = (seed: number) => {
      const out = new Float32Array(20);
      const batch = { data: start, index: indices(0) };
      registry.kernelsFor(shuffled, js, new RandomStreams(seed).stream('kernels')).apply(batch, batch, { data: out, index: indices(0) });
      return out;
    };
    const unshuffled = selfApplied(plain, start);
    const sorted = (a: Float32Array) => [...a].sort((x, y) => x - y);
    for (const seed of [1, 2, 3]) assert.deepEqual(sorted(run(seed)), sorted(unshuffled));
    assert.deepEqual(run(1), run(1));
    assert.ok(
      [1, 2, 3].some((seed) => run(seed).some((v, i) => v !== unshuffled[i])),
      'some permutation moves a weight across groups',
    );
  });

  it('shuffle: random without a random stream is refused with a clear error', () => {
    const net = new AggregatingNetwork({ ...defaults, shuffle: 'random' });
    assert.throws(() => registry.kernelsFor(net, js), /reduction draws at random \(e\.g\. shuffle: random\), so its kernels need the run's random stream/);
    assert.throws(() => net.reduction.expand(new Float64Array(4), new Float32Array(20), 0), /shuffle: random needs a random stream/);
    assert.doesNotThrow(() => registry.kernelsFor(new AggregatingNetwork(defaults), js));
  });
});
