import type { Backend, KernelProvider, NetworkKernels, NetworkShape, Rng } from '@srnn/core';

/**
 * The js kernels of one network type, built by `build`. With `sharedBy`, the kernels are built once
 * per key (e.g. the network's options) and shared by every run in the thread — compiling generated
 * kernels costs more than a small run of a sweep — so they must hold no state between calls.
 */
export class JsKernelProvider<N extends NetworkShape> implements KernelProvider<N> {
  readonly backend = 'js';
  private readonly cache = new Map<string, NetworkKernels>();

  constructor(
    readonly architecture: string,
    private readonly build: (network: N, rng?: Rng) => NetworkKernels,
    private readonly sharedBy?: (network: N) => string,
  ) {}

  create(network: N, _backend: Backend, rng?: Rng): NetworkKernels {
    if (!this.sharedBy) return this.build(network, rng);
    const key = this.sharedBy(network);
    let kernels = this.cache.get(key);
    if (!kernels) {
      kernels = this.build(network, rng);
      this.cache.set(key, kernels);
    }
    return kernels;
  }
}
