import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { TrainOptions } from '@srnn/core';
import { RecurrentJsKernels, RecurrentNetwork, recurrentModule, type RecurrentOptions } from '@srnn/recurrent';
import { assertKernelsIdentical, assertSameBits, indices, randomPopulation, registryOf } from '@srnn/testing';
import { RECURRENT_WASM_MAX_WEIGHTS } from './recurrent-wasm-kernel-provider';
import { RecurrentWasmKernels } from './recurrent-wasm-kernels';
import wasmBackendModule from './wasm-backend-module';

const registry = registryOf(recurrentModule, wasmBackendModule);
const js = registry.backend('js');
const wasm = registry.backend('wasm');
before(() => wasm.init());

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
const label = (o: RecurrentOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;
const kernels = (options: RecurrentOptions) => {
  const net = new RecurrentNetwork(options);
  return { net, W: net.weightCount, js: registry.kernelsFor(net, js), wasm: registry.kernelsFor(net, wasm) };
};

describe('wasm (f64x2) recurrent kernels compute the js kernels’ bits', () => {
  it('run in WebAssembly here, and are the default engine of the networks they cover', () => {
    const { net, js: a, wasm: b } = kernels(paper);
    assert.ok(b instanceof RecurrentWasmKernels);
    assert.ok(a instanceof RecurrentJsKernels);
    assert.equal(net.weightCount, 17);
    assert.equal(registry.defaultBackend(net), 'wasm');
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
});
