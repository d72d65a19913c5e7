import 'reflect-metadata';
import fftModule from './fft-module';
import { describeReducedMlpKernels, backendKernels, registryOf, shapeGrid } from '@srnn/testing';
import { FftNetwork, type FftOptions } from './fft-network';

const base: FftOptions = { width: 3, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 };
const shapes: FftOptions[] = [
  ...shapeGrid(base),
  { ...base, width: 2, depth: 0, activation: 'tanh', bias: true, coefficients: 2 },
  { ...base, width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out', coefficients: 6 },
  { ...base, width: 4, depth: 1, activation: 'relu', coefficients: 8 },
];

const registry = registryOf(fftModule);

describeReducedMlpKernels({
  type: 'fft',
  reduced: 'coefficients',
  network: (options: FftOptions) => new FftNetwork(options),
  shapes,
  semantics: { ...base, width: 2 },
  label: (o) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}, k ${o.coefficients}`,
  js: backendKernels(registry, 'fft', 'js'),
});
