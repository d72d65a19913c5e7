import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ScenarioError, Srnn, type RunEvent, type RunResult } from '@srnn/core';
import windowModule from './window-module';

/**
 * The plugin as srnn runs it, from scenario text: srnn's own plugins (experiments, the js backend)
 * are discovered among the installed packages; this one, under test in its own package, is passed
 * as a module.
 */
describe('window network in scenarios', () => {
  let srnn: Srnn;
  before(async () => {
    srnn = await Srnn.create({ modules: [windowModule] });
  });

  async function run(yaml: string): Promise<{ result: RunResult; events: RunEvent[] }> {
    const created = srnn.createRun(await srnn.loadScenarioText(yaml, 'window.yaml'));
    const events: RunEvent[] = [];
    created.events$.subscribe((event) => events.push(event));
    return { result: await created.execute(), events };
  }
  const total = (result: RunResult) => Object.values(result.census).reduce((a, b) => a + b, 0);

  it('self-trains a seeded population end to end: every net ends classified and the mean loss falls', async () => {
    const yaml = 'seed: 1\narchitecture: { type: window, activation: tanh }\npopulation: { size: 20 }\nexperiment: { type: self-train, steps: 300, lr: 0.05, momentum: 0.5, censusEvery: 100 }\n';
    const { result, events } = await run(yaml);
    assert.equal(total(result), 20);
    const losses = events.flatMap((event) => (event.kind === 'census' && event.step > 0 ? [event.meanLoss!] : []));
    assert.equal(losses.length, 3);
    assert.ok(losses[2] < losses[0], `the mean loss falls: ${losses}`);
  });

  it('self-applies reproducibly', async () => {
    const yaml = 'seed: 2\narchitecture: { type: window, radius: 2, width: 3 }\npopulation: { size: 20 }\nexperiment: { type: self-application, steps: 50 }\n';
    const [first, again] = [(await run(yaml)).result, (await run(yaml)).result];
    assert.equal(total(first), 20);
    assert.deepEqual(again.population.weights, first.population.weights);
    assert.deepEqual(again.census, first.census);
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
