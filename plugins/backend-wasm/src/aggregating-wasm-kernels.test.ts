import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RandomStreams, type TrainOptions } from '@srnn/core';
import { AggregatingNetwork, aggregatingModule, type AggregatingOptions } from '@srnn/aggregating';
import { ReducedMlpJsKernels } from '@srnn/mlp';
import { assertKernelsIdentical, assertSameBits, indices, randomPopulation, registryOf } from '@srnn/testing';
import { ReducedMlpWasmKernels } from './reduced-mlp-wasm-kernels';
import wasmBackendModule from './wasm-backend-module';

const registry = registryOf(aggregatingModule, wasmBackendModule);
const js = registry.backend('js');
const wasm = registry.backend('wasm');
before(() => wasm.init());

/** The paper's aggregating net (the scenario defaults): 4 → 2 → 2 → 4, linear, no bias, k = 4 averages, 20 weights. */
const paper: AggregatingOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', aggregates: 4, aggregator: 'average', shuffle: 'none' };
const shapes: AggregatingOptions[] = [paper];
for (const activation of ['linear', 'relu'] as const) {
  for (const bias of [false, true]) {
    for (const layout of ['out-in', 'in-out'] as const) {
      for (const aggregator of ['average', 'max'] as const) shapes.push({ ...paper, width: 3, activation, bias, layout, aggregator });
    }
  }
}
// groups of unequal size (leftovers join the last), depth 0, a wide single layer, k = 1
shapes.push({ ...paper, depth: 0, aggregates: 3, bias: true }, { ...paper, width: 5, depth: 1, aggregates: 5, activation: 'relu', aggregator: 'max' }, { ...paper, depth: 1, aggregates: 1 });
const label = (o: AggregatingOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}, k ${o.aggregates}, ${o.aggregator}`;
const kernels = (options: AggregatingOptions) => {
  const net = new AggregatingNetwork(options);
  return { net, W: net.weightCount, js: registry.kernelsFor(net, js), wasm: registry.kernelsFor(net, wasm) };
};

describe('wasm (f64x2) aggregating kernels compute the js kernels’ bits', () => {
  it('run in WebAssembly here, and are the default engine of the networks they cover', () => {
    const { net, js: a, wasm: b } = kernels(paper);
    assert.ok(b instanceof ReducedMlpWasmKernels);
    assert.ok(a instanceof ReducedMlpJsKernels);
    assert.equal(registry.defaultBackend(net), 'wasm');
  });

  for (const options of shapes) {
    // 7 networks: blocks of 2 lanes and a padded one
    it(`${label(options)}: apply, full batch, momentum and batch 1, finite, wide-range and non-finite, float32 and float64 arrays`, () => {
      const { net, W, js: a, wasm: b } = kernels(options);
      assert.ok(b instanceof ReducedMlpWasmKernels, label(options));
      assertKernelsIdentical([a, b], randomPopulation(net, 7, 17), W);
      assertKernelsIdentical([a, b], randomPopulation(net, 4, 3, 'glorot-uniform'), W);
    });
  }

  it('many steps: 100 steps of self-training and of self-application in place, 1 001 networks (a padded block)', () => {
    const { net, js: a, wasm: b } = kernels(paper);
    const start = randomPopulation(net, 1001, 9);
    const all = indices(...Array.from({ length: 1001 }, (_, i) => i));
    const [x, y] = [a, b].map((k) => {
      const w = start.slice();
      const applied = start.slice();
      const loss = new Float32Array(1001);
      const losses: number[] = [];
      for (let s = 0; s < 100; s++) {
        k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.04, momentum: 0, batch: 'full' }, loss);
        losses.push(...loss);
        k.apply({ data: applied, index: all }, { data: applied, index: all }, { data: applied, index: all });
      }
      return { w, applied, losses };
    });
    assertSameBits(x.w, y.w, 'weights');
    assertSameBits(x.losses, y.losses, 'losses');
    assertSameBits(x.applied, y.applied, 'self-applied');
    assert.ok(y.w.some((v, i) => v !== start[i]));
  });

  it('signed zeros: networks of −0 weights (the js code adds 0 to each sum and gradient, which turns −0 into +0)', () => {
    for (const options of [paper, { ...paper, activation: 'relu' as const, aggregator: 'max' as const }]) {
      const { net, W, js: a, wasm: b } = kernels(options);
      const start = randomPopulation(net, 4, 2);
      start.fill(-0, 0, W);
      for (let i = W; i < 2 * W; i++) start[i] = i % 2 ? -0 : 0;
      const all = indices(0, 1, 2, 3);
      const [x, y] = [a, b].map((k) => {
        const w = start.slice();
        const applied = start.slice();
        const buffer = new Float32Array(w.length).fill(-0);
        k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.1, momentum: 0.5, batch: 'full', momentumBuffer: { data: buffer, index: all } });
        k.apply({ data: applied, index: all }, { data: applied, index: all }, { data: applied, index: all });
        return { w, buffer, applied };
      });
      assertSameBits(x.w, y.w, `${label(options)}: weights`);
      assertSameBits(x.buffer, y.buffer, `${label(options)}: momentum buffer`);
      assertSameBits(x.applied, y.applied, `${label(options)}: applied`);
    }
  });

  it('batches of scattered rows: apply into another array, learning from partners with momentum, the loss before the step', () => {
    const { net, js: a, wasm: b } = kernels(shapes[6]);
    const start = randomPopulation(net, 9, 5);
    const applied = [a, b].map((k) => {
      const out = new Float32Array(start.length);
      k.apply({ data: start, index: indices(3, 0, 5, 8, 1) }, { data: start, index: indices(1, 1, 2, 7, 4) }, { data: out, index: indices(2, 0, 1, 6, 8) });
      return out;
    });
    assertSameBits(applied[0], applied[1], 'apply');
    const trained = [a, b].map((k) => {
      const w = start.slice();
      const partners = start.map((v) => v * 0.5);
      const buffer = new Float32Array(w.length);
      const loss = new Float32Array(3);
      const options: TrainOptions = { lr: 0.05, momentum: 0.9, batch: 'full', momentumBuffer: { data: buffer, index: indices(0, 4, 2) } };
      for (let s = 0; s < 3; s++) k.train({ data: w, index: indices(4, 2, 7) }, { data: partners, index: indices(0, 6, 3) }, options, loss);
      return { w, buffer, loss };
    });
    assertSameBits(trained[0].w, trained[1].w, 'weights');
    assertSameBits(trained[0].buffer, trained[1].buffer, 'momentum buffer');
    assertSameBits(trained[0].loss, trained[1].loss, 'loss');
    assert.notDeepEqual(trained[1].w, start, 'trained');
    // one network (a padded block) in place, on itself
    const one = [a, b].map((k) => {
      const w = start.slice();
      for (let s = 0; s < 3; s++) k.apply({ data: w, index: indices(5) }, { data: w, index: indices(5) }, { data: w, index: indices(5) });
      return w;
    });
    assertSameBits(one[0], one[1], 'one network in place');
  });

  it('refuses momentum without a buffer as the js kernels do; an empty batch is a no-op', () => {
    const { net, wasm: b } = kernels(paper);
    const w = randomPopulation(net, 2, 1);
    assert.throws(() => b.train({ data: w, index: indices(0) }, { data: w, index: indices(0) }, { lr: 0.1, momentum: 0.5, batch: 'full' }), /momentum buffer/);
    const before = w.slice();
    b.apply({ data: w, index: indices() }, { data: w, index: indices() }, { data: w, index: indices() });
    b.train({ data: w, index: indices() }, { data: w, index: indices() }, { lr: 0.1, momentum: 0, batch: 'full' });
    assertSameBits(w, before, 'unchanged');
  });

  it('networks WebAssembly does not cover take the js kernels and are not ranked: sigmoid, tanh, shuffle: random, more than 256 weights', () => {
    for (const options of [
      { ...paper, activation: 'sigmoid' },
      { ...paper, activation: 'tanh', bias: true },
      { ...paper, shuffle: 'random' },
      { ...paper, width: 16, depth: 2 },
    ] as const) {
      const net = new AggregatingNetwork(options);
      assert.ok(registry.kernelsFor(net, wasm, new RandomStreams(1).stream('kernels')) instanceof ReducedMlpJsKernels, label(options));
      assert.equal(registry.defaultBackend(net), 'js', label(options));
    }
  });
});
