import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContainerModule } from 'inversify';
import type { NetworkShape } from '@srnn/core';
import { RecurrentNetwork, recurrentModule, type RecurrentOptions } from '@srnn/recurrent';
import { registryOf } from '@srnn/testing';
import { WeightwiseNetwork, weightwiseModule, type WeightwiseOptions } from '@srnn/weightwise';
import { WasmSimdProbe } from './wasm-backend';
import wasmBackendModule from './wasm-backend-module';
import { WeightwiseWasmKernels } from './weightwise-wasm-kernels';

const paper: WeightwiseOptions = { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' };
const net = (options: Partial<WeightwiseOptions> = {}) => new WeightwiseNetwork({ ...paper, ...options });
const withoutSimd = new ContainerModule(({ bind }) => {
  bind(WasmSimdProbe).toConstantValue(() => false);
});

describe('the default backend of a network (a scenario without backend), with the wasm backends installed', () => {
  const registry = registryOf(weightwiseModule, wasmBackendModule);

  it('wasm-f32 for the weightwise shapes its WebAssembly kernels cover: linear or relu, bias or not, up to 64 weights', () => {
    for (const options of [{}, { activation: 'relu' as const }, { bias: true }, { layout: 'in-out' as const }, { width: 3, depth: 3 }]) {
      assert.equal(registry.defaultBackend(net(options)), 'wasm-f32', JSON.stringify(options));
    }
    assert.equal(net({ width: 5, depth: 2 }).weightCount <= 64, true);
    assert.equal(registry.defaultBackend(net({ width: 5, depth: 2 })), 'wasm-f32');
  });

  it('js where they would fall back to js kernels: sigmoid, tanh, more than 64 weights', () => {
    assert.equal(registry.defaultBackend(net({ activation: 'tanh' })), 'js');
    assert.equal(registry.defaultBackend(net({ activation: 'sigmoid' })), 'js');
    assert.ok(net({ width: 6, depth: 2 }).weightCount > 64);
    assert.equal(registry.defaultBackend(net({ width: 6, depth: 2 })), 'js');
  });

  it('js for other architectures (no wasm kernels)', () => {
    const other: NetworkShape = { type: 'hypothetical', weightCount: 14, initSchemes: ['default'], initialize: () => {} };
    assert.equal(registry.defaultBackend(other), 'js');
  });

  it('the wasm-f32 kernels of a covered shape are WebAssembly ones (what the default claims to run)', async () => {
    const backend = registry.backend('wasm-f32');
    await backend.init();
    assert.ok(registry.kernelsFor(net(), backend) instanceof WeightwiseWasmKernels);
  });

  it('js when WebAssembly SIMD is missing (probe bound to false), the wasm backends then running js kernels as documented', async () => {
    const noSimd = registryOf(weightwiseModule, wasmBackendModule, withoutSimd);
    assert.equal(noSimd.defaultBackend(net()), 'js');
    const backend = noSimd.backend('wasm-f32');
    await backend.init();
    assert.equal(backend.describe(), 'js kernels (this engine has no WebAssembly SIMD)');
    assert.ok(!(noSimd.kernelsFor(net({ width: 3 }), backend) instanceof WeightwiseWasmKernels));
  });

  it('without the wasm plugin, js for every network', () => {
    assert.equal(registryOf(weightwiseModule).defaultBackend(net()), 'js');
  });
});

describe('the default backend of a recurrent network, with the wasm backends installed', () => {
  const registry = registryOf(recurrentModule, wasmBackendModule);
  const rnn = (options: Partial<RecurrentOptions> = {}) => new RecurrentNetwork({ ...paper, ...options });

  it('wasm-f32 (f32x4) for the shapes its WebAssembly kernels cover: linear or relu, up to 256 weights', () => {
    for (const options of [{}, { activation: 'relu' as const }, { bias: true }, { layout: 'in-out' as const }, { width: 3, bias: true }, { width: 8 }]) {
      assert.equal(registry.defaultBackend(rnn(options)), 'wasm-f32', JSON.stringify(options));
    }
  });

  it('js for tanh, sigmoid and larger networks, and where WebAssembly SIMD is missing', () => {
    for (const options of [{ activation: 'tanh' as const }, { activation: 'sigmoid' as const }, { width: 10 }]) {
      assert.equal(registry.defaultBackend(rnn(options)), 'js', JSON.stringify(options));
    }
    assert.equal(registryOf(recurrentModule, wasmBackendModule, withoutSimd).defaultBackend(rnn()), 'js');
  });
});

describe('kernels of a backend without WebAssembly SIMD, and of one with it, in one process', () => {
  it('are js kernels for the one, WebAssembly kernels for the other (the shared cache tells them apart)', async () => {
    for (const name of ['wasm', 'wasm-f32']) {
      const without = registryOf(weightwiseModule, wasmBackendModule, withoutSimd);
      const withSimd = registryOf(weightwiseModule, wasmBackendModule);
      const shape = net({ width: 3 });
      const [a, b] = [without.backend(name), withSimd.backend(name)];
      await Promise.all([a.init(), b.init()]);
      assert.ok(!(without.kernelsFor(shape, a) instanceof WeightwiseWasmKernels), `${name} without SIMD`);
      assert.ok(withSimd.kernelsFor(shape, b) instanceof WeightwiseWasmKernels, `${name} with SIMD, after one without`);
    }
  });
});
