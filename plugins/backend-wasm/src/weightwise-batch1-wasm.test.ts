import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RandomStreams, type NetworkKernels, type Rng, type TrainOptions, type WeightBatch } from '@srnn/core';
import { assertAllClose, assertSameBits, indices, randomPopulation, registryOf } from '@srnn/testing';
import { WeightwiseNetwork, weightwiseModule, type WeightwiseOptions } from '@srnn/weightwise';
import { WeightwiseWasmKernels } from './weightwise-wasm-kernels';
import wasmBackendModule from './wasm-backend-module';

const registry = registryOf(weightwiseModule, wasmBackendModule);
const js = registry.backend('js');
const wasm = registry.backend('wasm');
const wasmF32 = registry.backend('wasm-f32');
before(() => Promise.all([wasm.init(), wasmF32.init()]));

const shapes: WeightwiseOptions[] = [
  { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' },
  { width: 3, depth: 2, activation: 'relu', bias: false, layout: 'out-in' },
  { width: 3, depth: 2, activation: 'linear', bias: true, layout: 'out-in' },
  { width: 3, depth: 2, activation: 'relu', bias: true, layout: 'in-out' },
  { width: 3, depth: 3, activation: 'relu', bias: false, layout: 'out-in' },
];
const label = (o: WeightwiseOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;

/** An rng of the seed's "order" stream that records every order it shuffles. */
function recordingRng(seed: number): { rng: Rng; orders: number[][] } {
  const rng = new RandomStreams(seed).stream('order');
  const orders: number[][] = [];
  const shuffle = rng.shuffle.bind(rng);
  rng.shuffle = <T extends { [i: number]: number; readonly length: number }>(values: T, from = 0, length = values.length - from): T => {
    shuffle(values, from, length);
    orders.push(Array.from({ length }, (_, i) => values[from + i]));
    return values;
  };
  return { rng, orders };
}

interface Case {
  /** The population's index of the trained networks and of their data (self: the same batch). */
  readonly params: Int32Array;
  readonly data: Int32Array | 'self';
  readonly momentum: number;
  readonly withBuffer: boolean;
}

interface Epochs {
  readonly w: Float32Array;
  readonly buffer: Float32Array;
  readonly loss: Float32Array;
  readonly orders: number[][];
  readonly state: number[];
}

/** Three batch-1 epochs on a copy of `start` [P × W]; the weights, buffer, losses, every order drawn and the rng's state after. */
function epochs(k: NetworkKernels, start: Float32Array, c: Case): Epochs {
  const w = start.slice();
  const partners = start.map((v) => v * 0.5);
  const buffer = new Float32Array(w.length).map((_, i) => (i % 5) * 0.01);
  const loss = new Float32Array(c.params.length);
  const { rng, orders } = recordingRng(11);
  const params: WeightBatch = { data: w, index: c.params };
  const data: WeightBatch = c.data === 'self' ? params : { data: partners, index: c.data };
  const options: TrainOptions = { lr: 0.02, momentum: c.momentum, batch: 1, rng, ...(c.withBuffer ? { momentumBuffer: { data: buffer, index: c.params } } : {}) };
  for (let s = 0; s < 3; s++) k.train(params, data, options, loss);
  return { w, buffer, loss, orders, state: rng.state() };
}

const all = (n: number) => indices(...Array.from({ length: n }, (_, i) => i));
const cases: [string, Case][] = [
  ['self, momentum buffer', { params: all(7), data: 'self', momentum: 0.9, withBuffer: true }],
  ['self, plain SGD', { params: all(7), data: 'self', momentum: 0, withBuffer: false }],
  ['scattered rows learning from partners, momentum buffer', { params: indices(5, 0, 8, 3, 1), data: indices(2, 7, 4, 6, 0), momentum: 0.9, withBuffer: true }],
  ['scattered rows on themselves, momentum without a buffer', { params: indices(6, 2, 4), data: 'self', momentum: 0, withBuffer: true }],
];

const kernels = (options: WeightwiseOptions, backend = wasmF32) => {
  const net = new WeightwiseNetwork(options);
  return { net, W: net.weightCount, js: registry.kernelsFor(net, js), wasm: registry.kernelsFor(net, backend) };
};

describe('batch-1 epochs in WebAssembly', () => {
  for (const options of shapes) {
    it(`${label(options)}: wasm-f32 agrees with js within float32 tolerance, draws the same orders, leaves the rng where js does`, () => {
      const { net, W, js: a, wasm: b } = kernels(options);
      assert.ok(b instanceof WeightwiseWasmKernels, 'WebAssembly kernels');
      const start = randomPopulation(net, 9, 4);
      for (const [what, c] of cases) {
        const [x, y]: Epochs[] = [a, b].map((k) => epochs(k, start, c));
        assert.deepEqual(y.orders, x.orders, `${what}: orders`);
        assert.equal(x.orders.length, 3 * c.params.length, `${what}: an order per network and epoch`);
        assert.ok(x.orders.every((o) => o.length === W));
        assert.deepEqual(y.state, x.state, `${what}: rng state after`);
        // float32 arithmetic against float64 over 3 epochs of W steps (≤ 3 × 33 dependent updates): measured ≤ 1.1e-6 over 200 networks, 2e-5 leaves 20×
        assertAllClose(x.w, y.w, `${what}: weights`, 2e-5);
        assertAllClose(x.buffer, y.buffer, `${what}: momentum buffer`, 2e-5);
        assertAllClose(x.loss, y.loss, `${what}: loss`, 2e-5);
        assert.notDeepEqual(y.w, start, `${what}: trained`);
        assert.ok(
          x.w.some((v, i) => !Object.is(v, y.w[i])),
          `${what}: float32 arithmetic, not the js kernels' bits`,
        );
        assert.ok(
          y.loss.every((l) => l > 0 && Number.isFinite(l)),
          `${what}: losses`,
        );
      }
    });
  }

  it('wasm (f64x2) batch-1 epochs are the js kernels’ bits in every case (float64 rows and wide ranges: weightwise-wasm-kernels.test)', () => {
    for (const options of shapes) {
      const { net, js: a, wasm: b } = kernels(options, wasm);
      assert.ok(b instanceof WeightwiseWasmKernels);
      const start = randomPopulation(net, 9, 6);
      for (const [what, c] of cases) {
        const [x, y]: Epochs[] = [a, b].map((k) => epochs(k, start, c));
        assert.deepEqual(y.orders, x.orders, `${label(options)}, ${what}: orders`);
        assertSameBits(x.w, y.w, `${label(options)}, ${what}: weights`);
        assertSameBits(x.buffer, y.buffer, `${label(options)}, ${what}: momentum buffer`);
        assertSameBits(x.loss, y.loss, `${label(options)}, ${what}: loss`);
      }
    }
  });

  it('NaN and ∞ spread as in the js code (no guard): a NaN mid-row poisons its network only, not its block', () => {
    for (const options of [shapes[0], shapes[3]]) {
      const { net, W, js: a, wasm: b } = kernels(options);
      const start = randomPopulation(net, 6, 9);
      start[1 * W + Math.floor(W / 2)] = Number.NaN;
      start[4 * W + 2] = Infinity;
      const c: Case = { params: all(6), data: 'self', momentum: 0.9, withBuffer: true };
      const [x, y]: Epochs[] = [a, b].map((k) => epochs(k, start, c));
      assertAllClose(x.w, y.w, `${label(options)}: weights`, 2e-5);
      assertAllClose(x.buffer, y.buffer, `${label(options)}: momentum buffer`, 2e-5);
      assertAllClose(x.loss, y.loss, `${label(options)}: loss`, 2e-5);
      assert.ok(y.w.subarray(W, 2 * W).every(Number.isNaN), 'the NaN network is NaN throughout');
      assert.ok(Number.isNaN(y.loss[1]) && Number.isNaN(y.loss[4]), 'their losses are NaN');
      for (const k of [0, 2, 3, 5]) assert.ok(y.w.subarray(k * W, (k + 1) * W).every(Number.isFinite), `network ${k} finite`);
    }
  });

  it('an empty batch draws nothing; batch 1 without an rng is refused', () => {
    const { net, wasm: b } = kernels(shapes[0]);
    const w = randomPopulation(net, 2, 1);
    const { rng, orders } = recordingRng(2);
    const state = rng.state();
    b.train({ data: w, index: indices() }, { data: w, index: indices() }, { lr: 0.1, momentum: 0, batch: 1, rng });
    assert.deepEqual(orders, []);
    assert.deepEqual(rng.state(), state);
    assert.throws(() => b.train({ data: w, index: indices(0) }, { data: w, index: indices(0) }, { lr: 0.1, momentum: 0, batch: 1 }), /rng/);
  });
});
