import { injectable } from 'inversify';
import type { Backend, KernelProvider, NetworkKernels } from '@srnn/core';
import { RecurrentJsKernels } from './recurrent-js-kernels';
import type { RecurrentNetwork } from './recurrent-network';

/**
 * Generated js kernels per shape, shared by every run in the thread: compiling and optimising them
 * costs more than a small run of a sweep. They hold no state between calls (their scratch is
 * rewritten by every call).
 */
const jsKernelCache = new Map<string, RecurrentJsKernels>();

/** The recurrent kernels of the js backend: JavaScript generated for the exact shape. */
@injectable()
export class RecurrentJsKernelProvider implements KernelProvider<RecurrentNetwork> {
  readonly architecture = 'recurrent';
  readonly backend = 'js';

  create(network: RecurrentNetwork, _backend: Backend): NetworkKernels {
    const { width, depth, activation, bias, layout } = network.options;
    const key = JSON.stringify([width, depth, activation, bias, layout]);
    let kernels = jsKernelCache.get(key);
    if (!kernels) {
      kernels = new RecurrentJsKernels(network.layout, activation);
      jsKernelCache.set(key, kernels);
    }
    return kernels;
  }
}
