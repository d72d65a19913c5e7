import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RandomStreams, type TrainOptions } from '@srnn/core';
import { randomPopulation, indices, assertAllClose, assertApplyAgrees, registryOf, shapeGrid } from '@srnn/testing';
import { WeightwiseNetwork, weightwiseModule, type WeightwiseOptions } from '@srnn/weightwise';
import type { WeightwiseShape } from './weightwise-tfjs-kernels';
import tfjsBackendModule from '../tfjs-backend-module';

const registry = registryOf(weightwiseModule, tfjsBackendModule);
const js = registry.backend('js');
const tfjs = registry.backend('tfjs');
before(() => tfjs.init());

const shapes: WeightwiseOptions[] = [
  ...shapeGrid<WeightwiseOptions>({ width: 3, depth: 2, activation: 'linear', bias: false, layout: 'out-in' }),
  { width: 2, depth: 0, activation: 'tanh', bias: true, layout: 'out-in' },
  // More than 64 weights: the js kernel loops over rows instead of unrolling them.
  { width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out' },
];

const label = (o: WeightwiseOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;

describe('js and tfjs kernels agree within float32 tolerance', () => {
  const P = 5;
  const close = (a: Float32Array, b: Float32Array, what: string) => assertAllClose(a, b, `${what} (js vs tfjs)`);
  for (const options of shapes) {
    it(label(options), () => {
      // the tfjs kernels read the network structurally: it must stay a WeightwiseShape
      const net = new WeightwiseNetwork(options) satisfies WeightwiseShape;
      const kernels = [registry.kernelsFor(net, js), registry.kernelsFor(net, tfjs)];
      const start = randomPopulation(net, P, 5);
      const W = net.weightCount;
      const spread = assertApplyAgrees([kernels[0], kernels[1]], start, W);
      assert.ok(spread[0].subarray(0, 2 * W).some(Number.isNaN), 'a divergent attacker spreads NaN');
      // Training with momentum (full batch) and single-row epochs, three steps each.
      for (const batch of ['full', 1] as const) {
        const results = kernels.map((k) => {
          const w = start.slice();
          const buffer = new Float32Array(w.length);
          const loss = new Float32Array(P);
          const rng = new RandomStreams(3).stream('order');
          const all = indices(0, 1, 2, 3, 4);
          const train: TrainOptions = { lr: 0.01, momentum: 0.9, batch, rng, momentumBuffer: { data: buffer, index: all } };
          for (let s = 0; s < 3; s++) k.train({ data: w, index: all }, { data: w, index: all }, train, loss);
          return { w, buffer, loss: Float32Array.from(loss) };
        });
        close(results[0].w, results[1].w, `train batch ${batch}`);
        close(results[0].buffer, results[1].buffer, `momentum buffer batch ${batch}`);
        close(results[0].loss, results[1].loss, `loss batch ${batch}`);
      }
      assert.equal(start.length, P * W);
    });
  }
});
