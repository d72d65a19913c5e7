import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { TrainOptions } from '@srnn/core';
import { RecurrentJsKernels, RecurrentNetwork, recurrentModule, type RecurrentOptions } from '@srnn/recurrent';
import { Srnn } from '@srnn/runner';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import { assertAllClose, assertApplyAgrees, assertKernelsIdentical, assertSameBits, describeGoldenRuns, indices, randomPopulation, registryOf, type GoldenRun } from '@srnn/testing';
import { ReducedMlpWasmEngine } from './reduced-mlp-wasm-kernels';
import { RECURRENT_WASM_MAX_WEIGHTS } from './recurrent-wasm-kernel-provider';
import { RecurrentWasmKernels } from './recurrent-wasm-kernels';
import { RecurrentWat } from './recurrent-wat';
import { SimdLanes, type Storage } from './simd-lanes';
import type { WasmBackend } from './wasm-backend';
import wasmBackendModule from './wasm-backend-module';

const registry = registryOf(recurrentModule, wasmBackendModule);
const js = registry.backend('js');
const wasm = registry.backend('wasm');
const wasmF32 = registry.backend('wasm-f32');
before(() => Promise.all([wasm.init(), wasmF32.init()]));

/** The scenario defaults: units 2, 2, 1, linear, no bias, out-in: 17 weights, a sequence of 17 steps. */
const paper: RecurrentOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' };
const shapes: RecurrentOptions[] = [paper];
for (const activation of ['linear', 'relu'] as const) {
  for (const bias of [false, true]) {
    for (const layout of ['out-in', 'in-out'] as const) shapes.push({ ...paper, width: 3, depth: 2, activation, bias, layout });
  }
}
// depth 0 (the output unit alone), one wide layer, three layers
shapes.push({ ...paper, depth: 0, bias: true }, { ...paper, width: 5, depth: 1, activation: 'relu' }, { ...paper, width: 2, depth: 3, bias: true });
// the largest covered: 209 weights (width 8), time looped
const large: RecurrentOptions = { ...paper, width: 8, activation: 'relu' };
const label = (o: RecurrentOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;
const kernels = (options: RecurrentOptions, backend = wasm) => {
  const net = new RecurrentNetwork(options);
  return { net, W: net.weightCount, js: registry.kernelsFor(net, js), wasm: registry.kernelsFor(net, backend) };
};

describe('wasm (f64x2) recurrent kernels compute the js kernels’ bits', () => {
  it('run in WebAssembly here (named as the backend; the default is wasm-f32)', () => {
    const { net, js: a, wasm: b } = kernels(paper);
    assert.ok(b instanceof RecurrentWasmKernels);
    assert.ok(a instanceof RecurrentJsKernels);
    assert.equal(net.weightCount, 17);
    assert.notEqual(registry.defaultBackend(net), 'wasm');
  });

  for (const options of shapes) {
    // 7 networks: blocks of 2 lanes and a padded one
    it(`${label(options)}: apply, full batch, momentum and batch 1, finite, wide-range and non-finite, float32 and float64 arrays`, () => {
      const { net, W, js: a, wasm: b } = kernels(options);
      assert.ok(W <= RECURRENT_WASM_MAX_WEIGHTS, label(options));
      assert.ok(b instanceof RecurrentWasmKernels, label(options));
      assertKernelsIdentical([a, b], randomPopulation(net, 7, 17), W);
      assertKernelsIdentical([a, b], randomPopulation(net, 4, 3, 'orthogonal'), W);
    });
  }

  it('time unrolled and looped alike, every kernel of every shape (and the largest covered, 209 weights)', () => {
    for (const options of [...shapes, large]) {
      const net = new RecurrentNetwork(options);
      const W = net.weightCount;
      const a = registry.kernelsFor(net, js);
      for (const time of ['unrolled', 'looped'] as const) {
        if (time === 'unrolled' && W > 64) continue;
        const engine = (storage: Storage) => {
          const wat = new RecurrentWat(net.layout, options.activation, new SimdLanes('f64', storage, W), { apply: time, train: time });
          return new ReducedMlpWasmEngine((wasm as WasmBackend).compile(wat.module()), W, storage, wat.scratchBytes);
        };
        const engines = { f32: engine('f32'), f64: engine('f64') };
        assertKernelsIdentical([a, new RecurrentWasmKernels((storage) => engines[storage], a)], randomPopulation(net, 5, 23), W);
      }
    }
  });

  it('many steps: 100 steps of self-training with momentum and of self-application in place, 1 001 networks (a padded block)', () => {
    for (const options of [paper, { ...paper, activation: 'relu' as const, bias: true }]) {
      const { net, js: a, wasm: b } = kernels(options);
      const start = randomPopulation(net, 1001, 9);
      const all = indices(...Array.from({ length: 1001 }, (_, i) => i));
      const [x, y] = [a, b].map((k) => {
        const w = start.slice();
        const buffer = new Float32Array(w.length);
        const applied = start.slice();
        const loss = new Float32Array(1001);
        const losses: number[] = [];
        for (let s = 0; s < 100; s++) {
          k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.04, momentum: 0.9, batch: 'full', momentumBuffer: { data: buffer, index: all } }, loss);
          losses.push(...loss);
          k.apply({ data: applied, index: all }, { data: applied, index: all }, { data: applied, index: all });
        }
        return { w, buffer, applied, losses };
      });
      assertSameBits(x.w, y.w, `${label(options)}: weights`);
      assertSameBits(x.buffer, y.buffer, `${label(options)}: momentum buffer`);
      assertSameBits(x.losses, y.losses, `${label(options)}: losses`);
      assertSameBits(x.applied, y.applied, `${label(options)}: self-applied`);
      assert.ok(y.w.some((v, i) => v !== start[i]));
    }
  });

  it('signed zeros, NaN and ±∞ through relu and linear: −0 weights and inputs, Math.max(0, ·) of −0 and NaN, relu′ of NaN', () => {
    // time unrolled (17 weights) and looped (34)
    for (const options of [paper, { ...paper, width: 3 }, { ...paper, activation: 'relu' as const }, { ...paper, activation: 'relu' as const, bias: true, layout: 'in-out' as const }]) {
      const { net, W, js: a, wasm: b } = kernels(options);
      const start = randomPopulation(net, 6, 2);
      start.fill(-0, 0, W);
      for (let i = W; i < 2 * W; i++) start[i] = i % 2 ? -0 : 0;
      start.fill(Number.NaN, 2 * W + 3, 2 * W + 4);
      start[3 * W + 1] = Infinity;
      start[4 * W + 2] = -Infinity;
      for (let i = 5 * W; i < 6 * W; i++) start[i] = i % 3 === 0 ? -start[i] : i % 3 === 1 ? -0 : start[i];
      const all = indices(0, 1, 2, 3, 4, 5);
      const [x, y] = [a, b].map((k) => {
        const w = start.slice();
        const applied = start.slice();
        const other = new Float32Array(start.length);
        const buffer = new Float32Array(w.length).fill(-0);
        const loss = new Float32Array(6);
        k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.1, momentum: 0.5, batch: 'full', momentumBuffer: { data: buffer, index: all } }, loss);
        k.apply({ data: applied, index: all }, { data: applied, index: all }, { data: applied, index: all });
        // networks of −0 weights applied to the others' sequences and the reverse
        k.apply({ data: start, index: indices(0, 1, 5, 2, 3, 4) }, { data: start, index: indices(5, 4, 0, 1, 1, 0) }, { data: other, index: all });
        // weights of 1 reading a sequence of −0: every sum is −0 + 1 · h₋₁, +0 as h₋₁ = +0
        const ones = new Float32Array(2 * W).fill(1).fill(-0, W);
        const zeros = new Float32Array(2 * W);
        k.apply({ data: ones, index: indices(0, 0) }, { data: ones, index: indices(1, 1) }, { data: zeros, index: indices(0, 1) });
        return { w, buffer, loss, applied, other, zeros };
      });
      for (const key of ['w', 'buffer', 'loss', 'applied', 'other', 'zeros'] as const) assertSameBits(x[key], y[key], `${label(options)}: ${key}`);
    }
  });

  it('batches of scattered rows: apply into another array, learning from partners with and without momentum, the loss before the step, an odd batch', () => {
    const { net, js: a, wasm: b } = kernels({ ...paper, width: 3, depth: 1, activation: 'relu', bias: true });
    const start = randomPopulation(net, 9, 5);
    const applied = [a, b].map((k) => {
      const out = new Float32Array(start.length);
      k.apply({ data: start, index: indices(3, 0, 5, 8, 1) }, { data: start, index: indices(1, 1, 2, 7, 4) }, { data: out, index: indices(2, 0, 1, 6, 8) });
      return out;
    });
    assertSameBits(applied[0], applied[1], 'apply');
    for (const momentum of [0, 0.9]) {
      const trained = [a, b].map((k) => {
        const w = start.slice();
        const partners = start.map((v) => v * 0.5);
        const buffer = new Float32Array(w.length);
        const loss = new Float32Array(3);
        const options: TrainOptions = { lr: 0.05, momentum, batch: 'full', momentumBuffer: { data: buffer, index: indices(0, 4, 2) } };
        for (let s = 0; s < 3; s++) k.train({ data: w, index: indices(4, 2, 7) }, { data: partners, index: indices(0, 6, 3) }, options, loss);
        return { w, buffer, loss };
      });
      assertSameBits(trained[0].w, trained[1].w, `momentum ${momentum}: weights`);
      assertSameBits(trained[0].buffer, trained[1].buffer, `momentum ${momentum}: momentum buffer`);
      assertSameBits(trained[0].loss, trained[1].loss, `momentum ${momentum}: loss`);
      assert.notDeepEqual(trained[1].w, start, 'trained');
    }
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

  it(`networks WebAssembly does not cover take the js kernels and are not ranked: sigmoid, tanh, more than ${RECURRENT_WASM_MAX_WEIGHTS} weights`, () => {
    for (const options of [
      { ...paper, activation: 'sigmoid' },
      { ...paper, activation: 'tanh', bias: true },
      { ...paper, width: 10, depth: 2 },
    ] as const) {
      const net = new RecurrentNetwork(options);
      assert.ok(registry.kernelsFor(net, wasm) instanceof RecurrentJsKernels, label(options));
      assert.equal(registry.defaultBackend(net), 'js', label(options));
    }
    assert.ok(new RecurrentNetwork({ ...paper, width: 10, depth: 2 }).weightCount > RECURRENT_WASM_MAX_WEIGHTS);
  });
});

describe('wasm-f32 (f32x4) recurrent kernels', () => {
  it('run in WebAssembly here, and are the default engine of the networks they cover', () => {
    const { net, wasm: b } = kernels(paper, wasmF32);
    assert.ok(b instanceof RecurrentWasmKernels);
    assert.equal(registry.defaultBackend(net), 'wasm-f32');
  });

  for (const options of shapes) {
    // 7 networks: a block of 4 lanes and a padded one
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
        for (let s = 0; s < 5; s++) k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.04, momentum: 0.9, batch: 'full', momentumBuffer: { data: buffer, index: all } }, loss);
        return { w, loss };
      });
      assertAllClose(trained[0].w, trained[1].w, 'weights', 1e-4);
      assertAllClose(trained[0].loss, trained[1].loss, 'loss', 1e-4);
      assert.notDeepEqual(trained[1].w, start, 'trained');
    });
  }

  it('arrays other than Float32Array take the js kernels (their bits)', () => {
    const { net, W, js: a, wasm: b } = kernels(paper, wasmF32);
    const start = Float64Array.from(randomPopulation(net, 5, 4)) as unknown as Float32Array;
    const all = indices(0, 1, 2, 3, 4);
    const [x, y] = [a, b].map((k) => {
      const w = start.slice();
      const out = new Float64Array(5 * W) as unknown as Float32Array;
      k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.04, momentum: 0, batch: 'full' });
      k.apply({ data: w, index: all }, { data: w, index: indices(1, 2, 3, 4, 0) }, { data: out, index: all });
      return { w, out };
    });
    assertSameBits(x.w, y.w, 'weights');
    assertSameBits(x.out, y.out, 'applied');
  });
});

/** The recurrent package's golden runs (pinned on js): on wasm they end with the same weights, bit for bit, as on js. */
const GOLDEN = (JSON.parse(readFileSync(join(dirname(require.resolve('@srnn/recurrent/package.json')), 'golden', 'recurrent-golden.json'), 'utf8')) as { cases: GoldenRun[] }).cases;
const GOLDEN_MODULES = [recurrentModule, selfTrainModule, selfApplicationModule, wasmBackendModule];

describeGoldenRuns({
  title: 'recurrent golden runs (seed 1, 2 networks)',
  modules: GOLDEN_MODULES,
  cases: GOLDEN,
  backends: [
    ['wasm', 1e-6],
    ['wasm-f32', 1e-5],
  ],
});

describe('recurrent golden runs on wasm and js', () => {
  for (const c of GOLDEN) {
    it(`${c.name}: the same weights, bit for bit`, async () => {
      const srnn = await Srnn.create({ discover: false, modules: GOLDEN_MODULES });
      const yaml = `seed: 1\narchitecture: ${c.architecture}\npopulation: { size: 2 }\nexperiment: ${c.experiment}\n`;
      const [x, y] = await Promise.all(['js', 'wasm'].map(async (backend) => (await srnn.createRun(await srnn.loadScenarioText(yaml, 'golden.yaml'), { backend }).execute()).population.weights));
      assertSameBits(x, y, c.name);
    });
  }
});
