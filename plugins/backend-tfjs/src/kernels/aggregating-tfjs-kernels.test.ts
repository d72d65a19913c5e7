import 'reflect-metadata';
import { AggregatingNetwork, aggregatingModule, type AggregatingOptions } from '@srnn/aggregating';
import { describeReducedMlpAgreement, backendKernels, registryOf, shapeGrid } from '@srnn/testing';
import tfjsBackendModule from '../tfjs-backend-module';

const base: AggregatingOptions = { width: 3, depth: 2, activation: 'linear', bias: false, layout: 'out-in', aggregates: 4, aggregator: 'average', shuffle: 'none' };
const shapes: AggregatingOptions[] = [
  ...shapeGrid(base),
  { ...base, width: 2, depth: 0, activation: 'tanh', bias: true, aggregates: 3, aggregator: 'max' },
  { ...base, width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out', aggregates: 5, aggregator: 'max' },
  { ...base, width: 2, depth: 2, activation: 'relu', shuffle: 'random' },
];

const registry = registryOf(aggregatingModule, tfjsBackendModule);

describeReducedMlpAgreement({
  type: 'aggregating',
  network: (options: AggregatingOptions) => new AggregatingNetwork(options),
  shapes,
  label: (o) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}, k ${o.aggregates}, ${o.aggregator}, shuffle ${o.shuffle}`,
  js: backendKernels(registry, 'aggregating', 'js'),
  other: backendKernels(registry, 'aggregating', 'tfjs'),
});
