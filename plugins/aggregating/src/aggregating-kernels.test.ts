import 'reflect-metadata';
import aggregatingModule from './aggregating-module';
import { ACTIVATIONS, MATRIX_LAYOUTS } from '@srnn/mlp';
import { describeReducedMlpKernels, backendKernels, registryOf } from '@srnn/testing';
import { tfjsBackendModule } from '@srnn/backend-tfjs';
import { AggregatingNetwork, type AggregatingOptions } from './aggregating-network';

const base: AggregatingOptions = { width: 3, depth: 2, activation: 'linear', bias: false, layout: 'out-in', aggregates: 4, aggregator: 'average', shuffle: 'none' };
const shapes: AggregatingOptions[] = [];
for (const activation of ACTIVATIONS) {
  for (const bias of [false, true]) {
    for (const layout of MATRIX_LAYOUTS) shapes.push({ ...base, activation, bias, layout });
  }
}
shapes.push({ ...base, width: 2, depth: 0, activation: 'tanh', bias: true, aggregates: 3, aggregator: 'max' });
shapes.push({ ...base, width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out', aggregates: 5, aggregator: 'max' });
shapes.push({ ...base, width: 2, depth: 2, activation: 'relu', shuffle: 'random' });

const registry = registryOf(aggregatingModule, tfjsBackendModule);

describeReducedMlpKernels({
  type: 'aggregating',
  reduced: 'aggregates',
  network: (options: AggregatingOptions) => new AggregatingNetwork(options),
  shapes,
  semantics: { ...base, width: 2 },
  label: (o) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}, k ${o.aggregates}, ${o.aggregator}, shuffle ${o.shuffle}`,
  js: backendKernels(registry, 'aggregating', 'js'),
  tfjs: backendKernels(registry, 'aggregating', 'tfjs'),
});
