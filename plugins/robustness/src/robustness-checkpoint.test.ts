import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Srnn } from '@srnn/runner';
import { checkpointRoundTrip } from '@srnn/testing';
import { weightwiseModule } from '@srnn/weightwise';
import robustnessModule from './robustness-module';

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, robustnessModule] });
});

const scenario = (population: number, experiment: string) => `seed: 8\narchitecture: { type: weightwise }\npopulation: { size: ${population} }\nexperiment: ${experiment}\n`;

describe('robustness checkpoints: a run resumed from any checkpoint emits what an uninterrupted run does', () => {
  it('hand-made fixpoints: checkpoints between trial steps (the clocks, the trials still active, their weights)', async () => {
    const { saved, resumed } = await checkpointRoundTrip(srnn, scenario(2, '{ type: robustness, levels: [0.1, 1.0e-3, 1.0e-6], trials: 6, maxSteps: 40 }'), 3);
    assert.ok(saved.length >= 3 && resumed.length >= 3, `saved at ${saved}`);
  });

  it('a trained source: checkpoints while the population self-trains (momentum, batch-1 order) and then between trial steps', async () => {
    const { saved } = await checkpointRoundTrip(
      srnn,
      scenario(30, '{ type: robustness, fixpoints: { train: { steps: 60, lr: 0.04, momentum: 0.5, batch: 1 } }, levels: [1.0e-2, 1.0e-5], trials: 3, maxSteps: 30 }'),
      7,
    );
    assert.ok(saved.some((c) => c < 60) && saved.some((c) => c > 60), `saved at ${saved}`);
  });
});
