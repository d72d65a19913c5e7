import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { RandomStreams, type NetworkKernels, type TrainOptions } from '@srnn/core';
import { assertAllClose, assertApplyAgrees, assertKernelsIdentical, assertSameBits, indices, randomPopulation, registryOf } from '@srnn/testing';
import { WeightwiseJsKernels, WeightwiseNetwork, weightwiseModule, type WeightwiseOptions } from '@srnn/weightwise';
import { SimdLanes } from './simd-lanes';
import type { WasmF32Backend } from './wasm-backend';
import { WeightwiseWasmKernels } from './weightwise-wasm-kernels';
import { WeightwiseWat } from './weightwise-wat';
import wasmBackendModule from './wasm-backend-module';

const registry = registryOf(weightwiseModule, wasmBackendModule);
const js = registry.backend('js');
const wasm = registry.backend('wasm');
const wasmF32 = registry.backend('wasm-f32');
before(() => Promise.all([wasm.init(), wasmF32.init()]));

const shapes: WeightwiseOptions[] = [];
for (const activation of ['linear', 'relu'] as const) {
  for (const bias of [false, true]) {
    for (const layout of ['out-in', 'in-out'] as const) shapes.push({ width: 3, depth: 2, activation, bias, layout });
  }
}
/** The paper's 4-2-2-1 linear net, 14 weights. */
const paper: WeightwiseOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' };
shapes.push(paper, { width: 2, depth: 0, activation: 'relu', bias: true, layout: 'out-in' }, { width: 4, depth: 1, activation: 'linear', bias: true, layout: 'in-out' });
const label = (o: WeightwiseOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;
const kernels = (options: WeightwiseOptions, backend = wasm) => {
  const net = new WeightwiseNetwork(options);
  return { net, W: net.weightCount, js: registry.kernelsFor(net, js), wasm: registry.kernelsFor(net, backend) };
};

describe('wasm (f64x2) kernels compute the js kernels’ bits', () => {
  it('run in WebAssembly here', () => {
    assert.match(wasm.describe(), /WebAssembly SIMD f64x2/);
    assert.ok(kernels(shapes[0]).wasm instanceof WeightwiseWasmKernels);
  });

  for (const options of shapes) {
    // 7 networks: blocks of 2 lanes and a padded one
    it(`${label(options)}: apply, full batch, momentum and batch 1, finite, wide-range and non-finite, float32 and float64 arrays`, () => {
      const { net, W, js: a, wasm: b } = kernels(options);
      assertKernelsIdentical([a, b], randomPopulation(net, 7, 17), W);
    });
  }

  it('batches of scattered rows: apply into another array, learning from partners with momentum, the loss before the step', () => {
    const { net, js: a, wasm: b } = kernels(shapes[4]);
    const start = randomPopulation(net, 9, 5);
    const applied = [a, b].map((k) => {
      const out = new Float32Array(start.length);
      k.apply({ data: start, index: indices(3, 0, 5, 8, 1) }, { data: start, index: indices(1, 1, 2, 7, 4) }, { data: out, index: indices(2, 0, 1, 6, 8) });
      return out;
    });
    assertSameBits(applied[0], applied[1], 'apply');
    const trained = [a, b].map((k) => {
      const w = start.slice();
      const buffer = new Float32Array(w.length);
      const loss = new Float32Array(3);
      const options: TrainOptions = { lr: 0.05, momentum: 0.9, batch: 'full', momentumBuffer: { data: buffer, index: indices(0, 4, 2) } };
      for (let s = 0; s < 3; s++) k.train({ data: w, index: indices(4, 2, 7) }, { data: w, index: indices(0, 6, 3) }, options, loss);
      return { w, buffer, loss };
    });
    assertSameBits(trained[0].w, trained[1].w, 'weights');
    assertSameBits(trained[0].buffer, trained[1].buffer, 'momentum buffer');
    assertSameBits(trained[0].loss, trained[1].loss, 'loss');
    assert.notDeepEqual(trained[1].w, start, 'trained');
    // in place, each network on itself
    const inPlace = [a, b].map((k) => {
      const w = start.slice();
      const all = indices(...Array.from({ length: 9 }, (_, i) => i));
      for (let s = 0; s < 4; s++) k.apply({ data: w, index: all }, { data: w, index: all }, { data: w, index: all });
      return w;
    });
    assertSameBits(inPlace[0], inPlace[1], 'self-application in place');
  });

  it('refuses momentum without a buffer as the js kernels do; an empty batch is a no-op', () => {
    const { net, wasm: b } = kernels(shapes[0]);
    const w = randomPopulation(net, 2, 1);
    assert.throws(() => b.train({ data: w, index: indices(0) }, { data: w, index: indices(0) }, { lr: 0.1, momentum: 0.5, batch: 'full' }), /momentum buffer/);
    assert.throws(() => b.train({ data: w, index: indices(0) }, { data: w, index: indices(0) }, { lr: 0.1, momentum: 0, batch: 1 }), /rng/);
    const before = w.slice();
    b.apply({ data: w, index: indices() }, { data: w, index: indices() }, { data: w, index: indices() });
    assertSameBits(w, before, 'unchanged');
  });

  it('shapes WebAssembly does not cover take the js kernels: sigmoid and tanh, more than 64 weights', () => {
    for (const options of [
      { width: 3, depth: 2, activation: 'sigmoid', bias: false, layout: 'out-in' },
      { width: 2, depth: 1, activation: 'tanh', bias: true, layout: 'out-in' },
      { width: 6, depth: 3, activation: 'linear', bias: true, layout: 'in-out' },
    ] as const) {
      assert.ok(kernels(options).wasm instanceof WeightwiseJsKernels, label(options));
    }
  });
});

/** The authors' PyTorch float32 trajectories (the repository's copy of ../shared/golden). */
const golden = JSON.parse(readFileSync(join(require.resolve('@srnn/weightwise/package.json'), '..', 'golden', 'weightwise-golden.json'), 'utf8')) as {
  cases: { kind: string; init?: number[]; trajectory?: number[][]; steps?: number; every?: number; lr?: number; momentum?: number; loss_before_step?: number[] }[];
};

describe('wasm-f32 (f32x4) kernels', () => {
  it('run in WebAssembly here', () => {
    assert.match(wasmF32.describe(), /WebAssembly SIMD f32x4/);
    assert.ok(kernels(paper, wasmF32).wasm instanceof WeightwiseWasmKernels);
  });

  for (const options of shapes) {
    it(`${label(options)}: agree with js within float32 tolerance (apply, non-finite weights, training with momentum)`, () => {
      const { net, W, js: a, wasm: b } = kernels(options, wasmF32);
      const start = randomPopulation(net, 7, 3);
      const spread = assertApplyAgrees([a, b], start, W, 1e-4);
      assert.ok(spread[1].some(Number.isNaN), 'NaN spreads');
      const trained = [a, b].map((k) => {
        const w = start.slice();
        const buffer = new Float32Array(w.length);
        const loss = new Float32Array(7);
        const all = indices(...Array.from({ length: 7 }, (_, i) => i));
        const rng = new RandomStreams(3).stream('order');
        for (let s = 0; s < 5; s++) k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.04, momentum: 0.9, batch: 'full', rng, momentumBuffer: { data: buffer, index: all } }, loss);
        return { w, loss };
      });
      assertAllClose(trained[0].w, trained[1].w, 'weights', 1e-4);
      assertAllClose(trained[0].loss, trained[1].loss, 'loss', 1e-4);
    });
  }

  it('use the closed form for linear bias-free nets only, which agrees with the layer-by-layer float32 passes', () => {
    for (const options of shapes) {
      const net = new WeightwiseNetwork(options);
      const wat = new WeightwiseWat(net.layout, options.activation, net.positions, new SimdLanes('f32', 'f32', net.weightCount));
      assert.equal(wat.closedForm, options.activation === 'linear' && !options.bias, label(options));
      if (!wat.closedForm) continue;
      const layered = new WeightwiseWasmKernels(
        'f32',
        net.weightCount,
        (lanes) => new WeightwiseWat(net.layout, options.activation, net.positions, lanes, false),
        (text) => (wasmF32 as WasmF32Backend).compile(text),
        registry.kernelsFor(net, js),
      );
      const closed = kernels(options, wasmF32).wasm;
      const start = randomPopulation(net, 9, 8);
      const all = indices(...Array.from({ length: 9 }, (_, i) => i));
      const [a, b] = [layered, closed].map((k) => {
        const w = start.slice();
        const loss = new Float32Array(9);
        for (let s = 0; s < 20; s++) k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.04, momentum: 0, batch: 'full' }, loss);
        const out = new Float32Array(w.length);
        k.apply({ data: w, index: all }, { data: start, index: all }, { data: out, index: all });
        return { w, loss, out };
      });
      assertAllClose(a.w, b.w, `${label(options)}: weights`, 1e-5);
      assertAllClose(a.loss, b.loss, `${label(options)}: loss`, 1e-5);
      assertAllClose(a.out, b.out, `${label(options)}: apply`, 1e-5);
    }
  });

  it('reproduce the authors’ PyTorch trajectories within 1e-5: self-application, self-training with and without momentum', () => {
    const k: NetworkKernels = kernels(paper, wasmF32).wasm;
    const one = indices(0);
    const close = (actual: ArrayLike<number>, expected: readonly number[], what: string) => {
      for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-5, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
    };
    let checked = 0;
    for (const c of golden.cases) {
      if (c.kind === 'self-application') {
        const w = Float32Array.from(c.init!);
        c.trajectory!.forEach((expected, s) => {
          k.apply({ data: w, index: one }, { data: w, index: one }, { data: w, index: one });
          close(w, expected, `self-application step ${s + 1}`);
        });
        checked++;
      }
      if (c.kind === 'self-train') {
        const w = Float32Array.from(c.init!);
        const buffer = new Float32Array(w.length);
        const loss = new Float32Array(1);
        for (let step = 1; step <= c.steps!; step++) {
          k.train({ data: w, index: one }, { data: w, index: one }, { lr: c.lr!, momentum: c.momentum!, batch: 'full', momentumBuffer: { data: buffer, index: one } }, loss);
          if (step % c.every! !== 0) continue;
          const j = step / c.every! - 1;
          close(w, c.trajectory![j], `momentum ${c.momentum} after ${step} steps`);
          close(loss, [c.loss_before_step![j]], `loss at step ${step}`);
        }
        checked++;
      }
    }
    assert.ok(checked >= 3, 'golden cases checked');
  });
});
