import { JsKernelProvider } from '@srnn/mlp';
import { RecurrentJsKernels } from './recurrent-js-kernels';
import type { RecurrentNetwork } from './recurrent-network';

/** The recurrent kernels of the js backend: JavaScript generated for the exact shape, shared per options (their scratch is rewritten by every call). */
export const recurrentJsKernelProvider = new JsKernelProvider<RecurrentNetwork>(
  'recurrent',
  (network) => new RecurrentJsKernels(network.layout, network.options.activation),
  (network) => JSON.stringify(network.options),
);
