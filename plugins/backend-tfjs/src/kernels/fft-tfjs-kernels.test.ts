import 'reflect-metadata';
import { FftNetwork, fftModule, type FftOptions } from '@srnn/fft';
import { describeReducedMlpAgreement, backendKernels, registryOf, shapeGrid } from '@srnn/testing';
import tfjsBackendModule from '../tfjs-backend-module';

const base: FftOptions = { width: 3, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 };
const shapes: FftOptions[] = [
  ...shapeGrid(base),
  { ...base, width: 2, depth: 0, activation: 'tanh', bias: true, coefficients: 2 },
  { ...base, width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out', coefficients: 6 },
  { ...base, width: 4, depth: 1, activation: 'relu', coefficients: 8 },
];

const registry = registryOf(fftModule, tfjsBackendModule);

describeReducedMlpAgreement({
  type: 'fft',
  network: (options: FftOptions) => new FftNetwork(options),
  shapes,
  label: (o) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}, k ${o.coefficients}`,
  js: backendKernels(registry, 'fft', 'js'),
  other: backendKernels(registry, 'fft', 'tfjs'),
});
