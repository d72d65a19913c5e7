import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { TrainOptions } from '@srnn/core';
import { RecurrentNetwork, recurrentModule, type RecurrentOptions } from '@srnn/recurrent';
import {
  assertAllClose,
  assertApplyAgrees,
  assertRecurrentInPlace,
  describeRecurrentReference,
  describeRecurrentTrainingSemantics,
  indices,
  randomPopulation,
  registryOf,
  shapeGrid,
} from '@srnn/testing';
import type { RecurrentShape } from './recurrent-tfjs-kernels';
import tfjsBackendModule from '../tfjs-backend-module';

const registry = registryOf(recurrentModule, tfjsBackendModule);
const js = registry.backend('js');
const tfjs = registry.backend('tfjs');
before(() => tfjs.init());

const shapes: RecurrentOptions[] = [
  ...shapeGrid<RecurrentOptions>({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' }),
  { width: 2, depth: 0, activation: 'tanh', bias: true, layout: 'out-in' },
  { width: 3, depth: 2, activation: 'sigmoid', bias: true, layout: 'in-out' },
];
const label = (o: RecurrentOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;
const tfjsVariant = (net: RecurrentNetwork) => [{ name: 'tfjs', kernels: registry.kernelsFor(net, tfjs), exact: false }];

describeRecurrentReference({ network: (options: RecurrentOptions) => new RecurrentNetwork(options), shapes, label, variants: tfjsVariant });

describe('js and tfjs recurrent kernels agree within float32 tolerance', () => {
  const P = 5;
  const close = (a: Float32Array, b: Float32Array, what: string, tolerance = 1e-5) => assertAllClose(a, b, `${what} (js vs tfjs)`, tolerance);
  for (const options of shapes) {
    it(label(options), () => {
      // the tfjs kernels read the network structurally: it must stay a RecurrentShape
      const net = new RecurrentNetwork(options) satisfies RecurrentShape;
      const kernels = [registry.kernelsFor(net, js), registry.kernelsFor(net, tfjs)];
      const start = randomPopulation(net, P, 5);
      const W = net.weightCount;
      // Non-finite weights spread as in plain arithmetic (0 · ∞ = NaN, also against h_{−1} = 0).
      const spread = assertApplyAgrees([kernels[0], kernels[1]], start, W);
      assert.ok(spread[0].subarray(0, 2 * W).some(Number.isNaN), 'a divergent attacker spreads NaN');
      // Self-training with momentum, three steps.
      const results = kernels.map((k) => {
        const w = start.slice();
        const buffer = new Float32Array(w.length);
        const loss = new Float32Array(P);
        const all = indices(0, 1, 2, 3, 4);
        const train: TrainOptions = { lr: 0.01, momentum: 0.9, batch: 'full', momentumBuffer: { data: buffer, index: all } };
        for (let s = 0; s < 3; s++) k.train({ data: w, index: all }, { data: w, index: all }, train, loss);
        return { w, buffer, loss: Float32Array.from(loss) };
      });
      assert.ok(results[0].w.every(Number.isFinite), 'the comparison is between finite weights');
      close(results[0].w, results[1].w, 'train');
      close(results[0].buffer, results[1].buffer, 'momentum buffer');
      close(results[0].loss, results[1].loss, 'loss');
    });
  }
});

describe('recurrent training semantics', () => {
  const net = new RecurrentNetwork({ width: 2, depth: 2, activation: 'tanh', bias: false, layout: 'out-in' });
  describeRecurrentTrainingSemantics({ network: net, name: 'tfjs', kernels: registry.kernelsFor(net, tfjs), js: registry.kernelsFor(net, js) });

  it('self-application in place reads the whole sequence before it is overwritten (tfjs)', () => {
    assertRecurrentInPlace(net, tfjsVariant(net));
  });
});
