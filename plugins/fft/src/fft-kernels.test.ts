import 'reflect-metadata';
import fftModule from './fft-module';
import { ACTIVATIONS, MATRIX_LAYOUTS } from '@srnn/mlp';
import { describeReducedMlpKernels, backendKernels, registryOf } from '@srnn/testing';
import { tfjsBackendModule } from '@srnn/backend-tfjs';
import { FftNetwork, type FftOptions } from './fft-network';

const base: FftOptions = { width: 3, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 };
const shapes: FftOptions[] = [];
for (const activation of ACTIVATIONS) {
  for (const bias of [false, true]) {
    for (const layout of MATRIX_LAYOUTS) shapes.push({ ...base, activation, bias, layout });
  }
}
shapes.push({ ...base, width: 2, depth: 0, activation: 'tanh', bias: true, coefficients: 2 });
shapes.push({ ...base, width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out', coefficients: 6 });
shapes.push({ ...base, width: 4, depth: 1, activation: 'relu', coefficients: 8 });

const registry = registryOf(fftModule, tfjsBackendModule);

describeReducedMlpKernels({
  type: 'fft',
  reduced: 'coefficients',
  network: (options: FftOptions) => new FftNetwork(options),
  shapes,
  semantics: { ...base, width: 2 },
  label: (o) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}, k ${o.coefficients}`,
  js: backendKernels(registry, 'fft', 'js'),
  tfjs: backendKernels(registry, 'fft', 'tfjs'),
});
