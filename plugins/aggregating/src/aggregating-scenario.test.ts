import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Srnn } from '@srnn/runner';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import { describeArchitectureScenarios } from '@srnn/testing';
import aggregatingModule from './aggregating-module';

/** Only what these runs need: the network type and the two experiments (the tfjs backend's tests run these types on tfjs). */
const MODULES = [aggregatingModule, selfTrainModule, selfApplicationModule];

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: MODULES });
});

describe('aggregating networks in scenarios', () => {
  it('is registered with its defaults: k = 4 average aggregates, no shuffle, 20 weights', async () => {
    const loaded = await srnn.loadScenarioText('architecture: { type: aggregating }\npopulation: { size: 1 }\nexperiment: { type: self-application, steps: 1 }\n');
    assert.deepEqual(loaded.scenario.architecture, {
      type: 'aggregating',
      width: 2,
      depth: 2,
      activation: 'linear',
      bias: false,
      layout: 'out-in',
      aggregates: 4,
      aggregator: 'average',
      shuffle: 'none',
    });
    assert.equal((await srnn.createRun(loaded).execute()).info.weightCount, 20);
  });

  it('rejects unknown options and bad values with the registered choices', async () => {
    await assert.rejects(srnn.loadScenarioText('architecture: { type: aggregating, aggregator: median }\nexperiment: { type: self-train, steps: 1 }\n'), /aggregator/);
    await assert.rejects(srnn.loadScenarioText('architecture: { type: aggregating, aggregates: 0 }\nexperiment: { type: self-train, steps: 1 }\n'), /aggregates/);
    await assert.rejects(srnn.loadScenarioText('architecture: { type: aggregating, coefficients: 4 }\nexperiment: { type: self-train, steps: 1 }\n'), /coefficients/);
  });

  describeArchitectureScenarios({ type: 'aggregating', modules: MODULES, backends: ['js'], selfApplication: ['shuffle: none', 'shuffle: random'] });
});
