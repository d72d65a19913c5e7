import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams, type NetworkKernels } from '@srnn/core';
import { ACTIVATIONS, MATRIX_LAYOUTS, mlpKernelCode, type KernelCode } from '@srnn/mlp';
import { randomPopulation, indices, assertKernelsIdentical, registryOf, shapeGrid } from '@srnn/testing';
import { WeightwiseJsKernels } from './weightwise-js-kernels';
import { WeightwiseNetwork, type WeightwiseOptions } from './weightwise-network';
import weightwiseModule from './weightwise-module';

const registry = registryOf(weightwiseModule);
const js = registry.backend('js');

const shapes: WeightwiseOptions[] = [
  ...shapeGrid<WeightwiseOptions>({ width: 3, depth: 2, activation: 'linear', bias: false, layout: 'out-in' }),
  { width: 2, depth: 0, activation: 'tanh', bias: true, layout: 'out-in' },
  // More than 64 weights: the js kernel loops over rows instead of unrolling them.
  { width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out' },
];

const label = (o: WeightwiseOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;

/** Mean squared error of params ◁ data against data's own weights, in float64 from the apply kernel. */
function lossOf(kernels: NetworkKernels, params: Float32Array, data: Float32Array): number {
  const out = new Float32Array(data.length);
  kernels.apply({ data: params, index: indices(0) }, { data, index: indices(0) }, { data: out, index: indices(0) });
  return out.reduce((sum, y, i) => sum + (y - data[i]) ** 2, 0) / data.length;
}

describe('weightwise gradients match finite differences of the loss (js kernels)', () => {
  for (const options of shapes) {
    it(label(options), () => {
      const net = new WeightwiseNetwork(options);
      const kernels = registry.kernelsFor(net, js);
      const W = net.weightCount;
      const all = randomPopulation(net, 2, 11);
      const params = all.slice(0, W);
      const data = all.slice(W, 2 * W);
      // One SGD step with lr 1 moves the weights by exactly -gradient.
      const stepped = params.slice();
      kernels.train({ data: stepped, index: indices(0) }, { data, index: indices(0) }, { lr: 1, momentum: 0, batch: 'full' });
      const h = 1e-2;
      for (let k = 0; k < W; k++) {
        const plus = params.slice();
        const minus = params.slice();
        plus[k] += h;
        minus[k] -= h;
        const numeric = (lossOf(kernels, plus, data) - lossOf(kernels, minus, data)) / (2 * h);
        const analytic = params[k] - stepped[k];
        assert.ok(Math.abs(numeric - analytic) <= 2e-3 * Math.max(1, Math.abs(numeric)), `weight ${k}: ${analytic} vs numeric ${numeric}`);
      }
    });
  }
});

describe('weightwise training semantics', () => {
  const net = new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });
  const kernels = registry.kernelsFor(net, js);

  it('learning from a partner trains on the partner’s rows and leaves the partner unchanged', () => {
    const w = randomPopulation(net, 2, 9);
    const partner = w.slice(14);
    const self = w.slice(0, 14);
    kernels.train({ data: w, index: indices(0) }, { data: w, index: indices(1) }, { lr: 0.04, momentum: 0, batch: 'full' });
    assert.deepEqual(w.slice(14), partner);
    const separately = self.slice();
    kernels.train({ data: separately, index: indices(0) }, { data: partner, index: indices(0) }, { lr: 0.04, momentum: 0, batch: 'full' });
    assert.deepEqual(w.slice(0, 14), separately);
  });

  it('a batch-1 epoch takes one step per row in a seeded random order', () => {
    const run = (seed: number) => {
      const w = randomPopulation(net, 1, 2);
      kernels.train({ data: w, index: indices(0) }, { data: w, index: indices(0) }, { lr: 0.01, momentum: 0, batch: 1, rng: new RandomStreams(seed).stream('order') });
      return w;
    };
    assert.deepEqual(run(1), run(1));
    assert.notDeepEqual(run(1), run(2), 'the row order matters');
    const full = randomPopulation(net, 1, 2);
    kernels.train({ data: full, index: indices(0) }, { data: full, index: indices(0) }, { lr: 0.01, momentum: 0, batch: 'full' });
    assert.notDeepEqual(run(1), full);
  });

  it('refuses momentum without a buffer and batch 1 without an rng', () => {
    const w = randomPopulation(net, 1, 2);
    const b = { data: w, index: indices(0) };
    assert.throws(() => kernels.train(b, b, { lr: 0.01, momentum: 0.9, batch: 'full' }), /momentum buffer/);
    assert.throws(() => kernels.train(b, b, { lr: 0.01, momentum: 0, batch: 1 }), /rng/);
  });
});

describe('weightwise js kernels with weights in arrays compute what those with locals compute, bit for bit', () => {
  const sizes: WeightwiseOptions[] = [
    { width: 3, depth: 2, activation: 'sigmoid', bias: true, layout: 'out-in' },
    ...ACTIVATIONS.map((activation, a): WeightwiseOptions => ({ width: 9, depth: 2, activation, bias: a % 2 === 0, layout: MATRIX_LAYOUTS[a % 2] })),
    { width: 20, depth: 1, activation: 'tanh', bias: false, layout: 'in-out' },
    { width: 5, depth: 0, activation: 'relu', bias: true, layout: 'out-in' },
  ];
  for (const options of sizes) {
    it(label(options), () => {
      const net = new WeightwiseNetwork(options);
      const of = (code: KernelCode) => new WeightwiseJsKernels(net.layout, options.activation, net.positions, { apply: code, train: code });
      assertKernelsIdentical([of('locals'), of('arrays')], randomPopulation(net, 4, 8), net.weightCount);
    });
  }

  it('large networks keep their weights in arrays', () => {
    assert.deepEqual(mlpKernelCode(14), { apply: 'locals', train: 'locals' });
    assert.deepEqual(mlpKernelCode(66_816), { apply: 'arrays', train: 'arrays' });
  });
});
