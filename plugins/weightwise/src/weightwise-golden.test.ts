import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backendKernels, describeGoldenCases, registryOf, type GoldenCase } from '@srnn/testing';
import { WeightwiseNetwork } from './weightwise-network';
import { inputRows } from './weightwise-positions';
import weightwiseModule from './weightwise-module';

/** The authors' PyTorch trajectories (golden/README.md says how they were made); the tfjs backend's test reads them too. */
const golden = JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'weightwise-golden.json'), 'utf8')) as { cases: GoldenCase[] };
const network = new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });

describeGoldenCases({
  title: "weightwise reproduces the authors' PyTorch trajectories",
  network,
  cases: golden.cases,
  inputRows: (weights) => inputRows(weights, network.positions),
  backends: [backendKernels<WeightwiseNetwork>(registryOf(weightwiseModule), 'weightwise', 'js')],
  tolerance: 1e-5,
});
