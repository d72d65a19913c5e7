import 'reflect-metadata';
import { describe } from 'node:test';
import { aggregatingModule } from '@srnn/aggregating';
import { fftModule } from '@srnn/fft';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import { describeBackendScenarios } from '@srnn/testing';
import tfjsBackendModule from '../tfjs-backend-module';

/** Only what these runs need: the network type, the two experiments and the tfjs backend. */
const modulesFor = (network: typeof aggregatingModule) => [network, selfTrainModule, selfApplicationModule, tfjsBackendModule];

describe('aggregating networks in scenarios', () => {
  describeBackendScenarios({ type: 'aggregating', modules: modulesFor(aggregatingModule), backend: 'tfjs', agreement: 'activation: tanh, bias: true, aggregator: max' });
});

describe('fft networks in scenarios', () => {
  describeBackendScenarios({ type: 'fft', modules: modulesFor(fftModule), backend: 'tfjs', agreement: 'activation: tanh, bias: true, coefficients: 6' });
});
