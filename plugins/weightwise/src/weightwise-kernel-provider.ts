import { JsKernelProvider } from '@srnn/mlp';
import { WeightwiseJsKernels } from './weightwise-js-kernels';
import type { WeightwiseNetwork } from './weightwise-network';

/** The weightwise kernels of the js backend: JavaScript generated for the exact shape, shared per options. */
export const weightwiseJsKernelProvider = new JsKernelProvider<WeightwiseNetwork>(
  'weightwise',
  (network) => new WeightwiseJsKernels(network.layout, network.options.activation, network.positions),
  (network) => JSON.stringify(network.options),
);
