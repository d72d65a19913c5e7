import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Container, ContainerModule } from 'inversify';
import { Backend } from './backend';
import { coreModule } from './core-module';
import { KernelProvider } from './kernel-provider';
import type { NetworkKernels, NetworkShape } from './network';
import { RandomStreams, type Rng } from './random';
import { PluginRegistry } from './registry';

/** The registry of core and these modules (@srnn/testing's registryOf, which core's tests cannot import). */
function registryOf(...modules: ContainerModule[]): PluginRegistry {
  const container = new Container();
  container.loadSync(coreModule, ...modules);
  return container.get(PluginRegistry);
}

const shape = (type: string): NetworkShape => ({ type, weightCount: 1, initSchemes: ['default'], initialize: () => {} });
const noKernels: NetworkKernels = { samplesPerNetwork: 1, apply() {}, train() {}, dispose() {} };

/** A provider that records what it was asked for. */
function provider(architecture: string, backend: string, calls: unknown[][] = []): KernelProvider {
  return {
    architecture,
    backend,
    create(network: NetworkShape, on: Backend, rng?: Rng) {
      calls.push([network, on, rng]);
      return noKernels;
    },
  };
}

const bindAll = (...providers: KernelProvider[]) => new ContainerModule(({ bind }) => providers.forEach((p) => bind(KernelProvider).toConstantValue(p)));
const fast: Backend = { name: 'fast', init: async () => {}, describe: () => 'fast' };

describe('kernel providers, looked up by (architecture, backend)', () => {
  it('kernelsFor hands the network, the backend and the stream to the provider of (network.type, backend.name)', () => {
    const calls: unknown[][] = [];
    const other: unknown[][] = [];
    const registry = registryOf(
      bindAll(provider('toy', 'js', other), provider('toy', 'fast', calls), provider('other', 'fast', other)),
      new ContainerModule(({ bind }) => {
        bind(Backend).toConstantValue(fast);
      }),
    );
    const network = shape('toy');
    const rng = new RandomStreams(1).stream('kernels');
    assert.equal(registry.kernelsFor(network, registry.backend('fast'), rng), noKernels);
    assert.deepEqual(calls, [[network, fast, rng]]);
    assert.deepEqual(other, []);
    assert.deepEqual(registry.kernelBackends('toy'), ['fast', 'js']);
  });

  it('a pair without kernels is an error naming the backends that have kernels for the type', () => {
    const registry = registryOf(bindAll(provider('toy', 'js'), provider('toy', 'fast')));
    assert.throws(() => registry.kernelsFor(shape('toy'), { ...fast, name: 'slow' }), {
      message: 'backend "slow" has no kernels for architecture "toy" (backends with toy kernels: fast, js)',
    });
    assert.equal(registry.missingKernels('toy', 'js'), undefined);
    assert.equal(registry.missingKernels('unknown', 'js'), 'backend "js" has no kernels for architecture "unknown" (backends with unknown kernels: none)');
  });

  it('defaultBackend: the provider ranking the network highest (defaultRank > 0), else js', () => {
    const ranked = (architecture: string, backend: string, rank: (network: NetworkShape) => number): KernelProvider => ({ ...provider(architecture, backend), defaultRank: rank });
    const registry = registryOf(
      bindAll(
        provider('toy', 'js'),
        ranked('toy', 'fast', (network) => (network.weightCount <= 4 ? 2 : 0)),
        ranked('toy', 'faster', (network) => (network.weightCount <= 2 ? 3 : 0)),
        provider('toy', 'unranked'),
        ranked('other', 'fast', () => 5),
      ),
    );
    const toy = (weightCount: number) => ({ ...shape('toy'), weightCount });
    assert.equal(registry.defaultBackend(toy(1)), 'faster');
    assert.equal(registry.defaultBackend(toy(3)), 'fast');
    assert.equal(registry.defaultBackend(toy(5)), 'js', 'no provider ranks it: js');
    assert.equal(registry.defaultBackend(shape('plain')), 'js', "a rank for another type does not count (other's rank 5)");
    assert.equal(registry.defaultBackend(shape('other')), 'fast');
  });

  it('two providers of the same pair are refused, from one plugin or two', () => {
    assert.throws(() => registryOf(bindAll(provider('toy', 'js')), bindAll(provider('toy', 'js'))), /two plugins register kernels for architecture "toy" on backend "js"/);
    assert.doesNotThrow(() => registryOf(bindAll(provider('toy', 'js'), provider('toy', 'fast'), provider('other', 'js'))));
  });
});
