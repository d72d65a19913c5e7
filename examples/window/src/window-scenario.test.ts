import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ScenarioError, type RunEvent, type RunResult } from '@srnn/core';
import { tfjsBackendModule } from '@srnn/backend-tfjs';
import { densityModule } from '@srnn/density';
import { Srnn } from '@srnn/runner';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import { describeArchitectureScenarios } from '@srnn/testing';
import windowModule from './window-module';

/** The modules the runs need, and only those: this plugin under test, the experiments, and tfjs (to see it refused). */
const MODULES = [windowModule, selfTrainModule, selfApplicationModule, densityModule, tfjsBackendModule];

describe('window network in scenarios (srnn test kit)', () => {
  describeArchitectureScenarios({ type: 'window', modules: MODULES, backends: ['js'], selfApplication: ['', 'radius: 2, width: 3, activation: tanh'] });
});

describe('window network in scenarios', () => {
  let srnn: Srnn;
  before(async () => {
    srnn = await Srnn.create({ discover: false, modules: MODULES });
  });

  async function run(yaml: string): Promise<{ result: RunResult; events: RunEvent[] }> {
    const created = srnn.createRun(await srnn.loadScenarioText(yaml, 'window.yaml'));
    const events: RunEvent[] = [];
    created.events$.subscribe((event) => events.push(event));
    return { result: await created.execute(), events };
  }

  it('self-trains with tanh: every net ends classified and the mean loss falls', async () => {
    const yaml = 'seed: 1\narchitecture: { type: window, activation: tanh }\npopulation: { size: 20 }\nexperiment: { type: self-train, steps: 300, lr: 0.05, momentum: 0.5, censusEvery: 100 }\n';
    const { result, events } = await run(yaml);
    assert.equal(
      Object.values(result.census).reduce((a, b) => a + b, 0),
      20,
    );
    const losses = events.flatMap((event) => (event.kind === 'census' && event.step > 0 ? [event.meanLoss!] : []));
    assert.equal(losses.length, 3);
    assert.ok(losses[2] < losses[0], `the mean loss falls: ${losses}`);
  });

  it('classifies the hand-made copying network as a fixpoint', async () => {
    const yaml = 'architecture: { type: window }\npopulation: { size: 1, init: { weights: [[0, 1, 0, 0, 0, 0, 1, 0]] } }\nexperiment: { type: density }\n';
    assert.equal((await run(yaml)).result.census.fixpoint, 1);
  });

  it('has kernels on js only: tfjs is refused when the scenario loads, at its `backend` key', async () => {
    await assert.rejects(srnn.loadScenarioText('backend: tfjs\narchitecture: { type: window }\npopulation: { size: 2 }\nexperiment: { type: density }\n', 'window.yaml'), (error: unknown) => {
      assert.ok(error instanceof ScenarioError, String(error));
      assert.match(error.message, /^window\.yaml:1:\d+: .*backend "tfjs" has no kernels for architecture "window" \(backends with window kernels: js\)/);
      return true;
    });
  });

  it('rejects a bad option at its place in the file', async () => {
    await assert.rejects(srnn.loadScenarioText('architecture: { type: window, radius: 0 }\npopulation: { size: 2 }\nexperiment: { type: density }\n', 'window.yaml'), (error: unknown) => {
      assert.ok(error instanceof ScenarioError, String(error));
      assert.match(error.message, /^window\.yaml:1:\d+: .*radius/);
      return true;
    });
  });
});
