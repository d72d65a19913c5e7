import { injectable } from 'inversify';
import type { Backend, KernelProvider, NetworkKernels } from '@srnn/core';
import { WeightwiseJsKernels } from './weightwise-js-kernels';
import type { WeightwiseNetwork } from './weightwise-network';

/**
 * Generated js kernels per shape, shared by every run in the process: compiling them costs more
 * than a small run of a sweep. They hold no state between calls.
 */
const jsKernelCache = new Map<string, WeightwiseJsKernels>();

/** The weightwise kernels of the js backend: JavaScript generated for the exact shape. */
@injectable()
export class WeightwiseJsKernelProvider implements KernelProvider<WeightwiseNetwork> {
  readonly architecture = 'weightwise';
  readonly backend = 'js';

  create(network: WeightwiseNetwork, _backend: Backend): NetworkKernels {
    const { width, depth, activation, bias, layout } = network.options;
    const key = JSON.stringify([width, depth, activation, bias, layout]);
    let kernels = jsKernelCache.get(key);
    if (!kernels) {
      kernels = new WeightwiseJsKernels(network.layout, activation, network.positions);
      jsKernelCache.set(key, kernels);
    }
    return kernels;
  }
}
