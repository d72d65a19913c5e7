import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Srnn } from '@srnn/runner';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import { describeArchitectureScenarios } from '@srnn/testing';
import fftModule from './fft-module';

/** Only what these runs need: the network type and the two experiments (the tfjs backend's tests run these types on tfjs). */
const MODULES = [fftModule, selfTrainModule, selfApplicationModule];

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: MODULES });
});

describe('fft networks in scenarios', () => {
  it('is registered with its defaults: k = 4 (two complex coefficients), 20 weights', async () => {
    const loaded = await srnn.loadScenarioText('architecture: { type: fft }\npopulation: { size: 1 }\nexperiment: { type: self-application, steps: 1 }\n');
    assert.deepEqual(loaded.scenario.architecture, { type: 'fft', width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 });
    assert.equal((await srnn.createRun(loaded).execute()).info.weightCount, 20);
  });

  it('rejects an odd number of coefficients and unknown options', async () => {
    await assert.rejects(srnn.loadScenarioText('architecture: { type: fft, coefficients: 3 }\nexperiment: { type: self-train, steps: 1 }\n'), /coefficients must be even/);
    await assert.rejects(srnn.loadScenarioText('architecture: { type: fft, aggregates: 4 }\nexperiment: { type: self-train, steps: 1 }\n'), /aggregates/);
  });

  describeArchitectureScenarios({ type: 'fft', modules: MODULES, backends: ['js'] });
});
