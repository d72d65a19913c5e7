import { injectable } from 'inversify';
import type { KernelProvider, NetworkKernels } from '@srnn/core';
import { WindowJsKernels } from './window-js-kernels';
import type { WindowNetwork } from './window-network';

/** The window network's kernels on the js backend (the only backend it has kernels for). */
@injectable()
export class WindowJsKernelProvider implements KernelProvider<WindowNetwork> {
  readonly architecture = 'window';
  readonly backend = 'js';

  create(network: WindowNetwork): NetworkKernels {
    return new WindowJsKernels(network.layout, network.options.activation);
  }
}
