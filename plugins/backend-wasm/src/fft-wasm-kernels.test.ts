import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FftNetwork, fftModule, type FftOptions } from '@srnn/fft';
import { ReducedMlpJsKernels } from '@srnn/mlp';
import { assertKernelsIdentical, assertSameBits, indices, randomPopulation, registryOf } from '@srnn/testing';
import { ReducedMlpWasmKernels } from './reduced-mlp-wasm-kernels';
import wasmBackendModule from './wasm-backend-module';

const registry = registryOf(fftModule, wasmBackendModule);
const js = registry.backend('js');
const wasm = registry.backend('wasm');
before(() => wasm.init());

/** The paper's fft net (the scenario defaults): 4 → 2 → 2 → 4, linear, no bias, the 2 lowest coefficients, 20 weights. */
const paper: FftOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 };
const shapes: FftOptions[] = [paper];
for (const activation of ['linear', 'relu'] as const) {
  for (const bias of [false, true]) {
    for (const layout of ['out-in', 'in-out'] as const) shapes.push({ ...paper, width: 3, activation, bias, layout });
  }
}
// k = 2 (depth 0, 4 weights: angles at multiples of π/2 only), k = 6 and 8, an even weight count (coefficient n/2)
shapes.push(
  { ...paper, depth: 0, coefficients: 2 },
  { ...paper, width: 3, depth: 1, coefficients: 6, bias: true },
  { ...paper, width: 4, depth: 1, activation: 'relu', coefficients: 8 },
  { ...paper, width: 2, depth: 0, coefficients: 4, bias: true },
);
const label = (o: FftOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}, k ${o.coefficients}`;
const kernels = (options: FftOptions) => {
  const net = new FftNetwork(options);
  return { net, W: net.weightCount, js: registry.kernelsFor(net, js), wasm: registry.kernelsFor(net, wasm) };
};

describe('wasm (f64x2) fft kernels compute the js kernels’ bits', () => {
  it('run in WebAssembly here, and are the default engine of the networks they cover', () => {
    const { net, js: a, wasm: b } = kernels(paper);
    assert.ok(b instanceof ReducedMlpWasmKernels);
    assert.ok(a instanceof ReducedMlpJsKernels);
    assert.equal(registry.defaultBackend(net), 'wasm');
  });

  for (const options of shapes) {
    it(`${label(options)}: apply, full batch, momentum and batch 1, finite, wide-range and non-finite, float32 and float64 arrays`, () => {
      const { net, W, js: a, wasm: b } = kernels(options);
      assert.ok(b instanceof ReducedMlpWasmKernels, label(options));
      assertKernelsIdentical([a, b], randomPopulation(net, 7, 17), W);
      assertKernelsIdentical([a, b], randomPopulation(net, 4, 3, 'glorot-uniform'), W);
    });
  }

  it('many steps: 100 steps of self-training with momentum and of self-application in place, 1 001 networks (a padded block)', () => {
    const { net, js: a, wasm: b } = kernels(paper);
    const start = randomPopulation(net, 1001, 9);
    const all = indices(...Array.from({ length: 1001 }, (_, i) => i));
    const [x, y] = [a, b].map((k) => {
      const w = start.slice();
      const buffer = new Float32Array(w.length);
      const applied = start.slice();
      const loss = new Float32Array(1001);
      const losses: number[] = [];
      for (let s = 0; s < 100; s++) {
        k.train({ data: w, index: all }, { data: w, index: all }, { lr: 0.04, momentum: 0.5, batch: 'full', momentumBuffer: { data: buffer, index: all } }, loss);
        losses.push(...loss);
        k.apply({ data: applied, index: all }, { data: applied, index: all }, { data: applied, index: all });
      }
      return { w, buffer, applied, losses };
    });
    assertSameBits(x.w, y.w, 'weights');
    assertSameBits(x.buffer, y.buffer, 'momentum buffer');
    assertSameBits(x.losses, y.losses, 'losses');
    assertSameBits(x.applied, y.applied, 'self-applied');
    assert.ok(y.w.some((v, i) => v !== start[i]));
  });

  it('networks WebAssembly does not cover take the js kernels and are not ranked: sigmoid, tanh, more than 256 weights', () => {
    for (const options of [
      { ...paper, activation: 'sigmoid' },
      { ...paper, activation: 'tanh', bias: true },
      { ...paper, width: 16, depth: 2 },
    ] as const) {
      const net = new FftNetwork(options);
      assert.ok(registry.kernelsFor(net, wasm) instanceof ReducedMlpJsKernels, label(options));
      assert.equal(registry.defaultBackend(net), 'js', label(options));
    }
  });
});
