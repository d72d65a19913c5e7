import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backendKernels, describeGoldenCases, registryOf, type GoldenCase } from '@srnn/testing';
import { inputRows, WeightwiseNetwork, weightwiseModule } from '@srnn/weightwise';
import tfjsBackendModule from '../tfjs-backend-module';

/** The authors' PyTorch trajectories, from the weightwise package (its golden/README.md says how they were made). */
const golden = JSON.parse(readFileSync(join(dirname(require.resolve('@srnn/weightwise/package.json')), 'golden', 'weightwise-golden.json'), 'utf8')) as { cases: GoldenCase[] };
const network = new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });

describeGoldenCases({
  title: "weightwise reproduces the authors' PyTorch trajectories",
  network,
  cases: golden.cases,
  inputRows: (weights) => inputRows(weights, network.positions),
  backends: [backendKernels<WeightwiseNetwork>(registryOf(weightwiseModule, tfjsBackendModule), 'weightwise', 'tfjs')],
  tolerance: 1e-5,
});
