import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ScenarioError } from '@srnn/core';
import { Srnn } from '@srnn/runner';

/**
 * `population.init: { byType: { <architecture type>: <scheme> } }` lets one sweep over
 * architecture.type give each type its own random init (e.g. Keras' defaults: Glorot for the MLPs,
 * orthogonal recurrent kernels for recurrent nets). A type draws exactly what the named scheme draws.
 */
let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create();
});

const BY_TYPE = '{ byType: { weightwise: glorot-uniform, aggregating: glorot-uniform, recurrent: orthogonal } }';
const scenario = (type: string, init: string, extra: string[] = []) =>
  ['seed: 11', `architecture: { type: ${type} }`, `population: { size: 6, init: ${init} }`, 'experiment: { type: density }', ...extra, ''].join('\n');

async function initialWeights(yaml: string): Promise<Float32Array> {
  const run = srnn.createRun(await srnn.loadScenarioText(yaml, 'init.yaml'));
  return (await run.execute()).population.weights;
}

describe('population.init by network type', () => {
  for (const [type, scheme] of [
    ['weightwise', 'glorot-uniform'],
    ['aggregating', 'glorot-uniform'],
    ['recurrent', 'orthogonal'],
  ]) {
    it(`a ${type} population draws what init: ${scheme} draws`, async () => {
      assert.deepEqual(await initialWeights(scenario(type, BY_TYPE)), await initialWeights(scenario(type, scheme)));
    });
  }

  it('a sweep over architecture.type runs each type with its own scheme; the runs equal those of a plain scheme', async () => {
    const sweep = ['sweep: { architecture.type: [weightwise, recurrent] }'];
    const loaded = await srnn.loadScenarioText(scenario('weightwise', BY_TYPE, sweep), 'sweep.yaml');
    const byType = srnn.createSweep(loaded).plan;
    const glorot = srnn.createSweep(await srnn.loadScenarioText(scenario('weightwise', 'glorot-uniform', sweep), 'sweep.yaml')).plan;
    assert.deepEqual(
      byType.runs.map((r) => r.seed),
      glorot.runs.map((r) => r.seed),
      'seeds derive from the swept values only',
    );
    const weights = await Promise.all(byType.runs.map(async (spec) => (await srnn.createRun({ ...loaded, scenario: spec.scenario }).execute()).population.weights));
    const plain = await initialWeights(scenario('weightwise', 'glorot-uniform').replace('seed: 11', `seed: ${byType.runs[0].seed}`));
    assert.deepEqual(weights[0], plain);
    const recurrent = await initialWeights(scenario('recurrent', 'orthogonal').replace('seed: 11', `seed: ${byType.runs[1].seed}`));
    assert.deepEqual(weights[1], recurrent);
  });

  it('a type the mapping does not name is an error at byType, before anything runs', async () => {
    const yaml = scenario('weightwise', '{ byType: { weightwise: default } }', ['sweep: { architecture.type: [weightwise, fft] }']);
    await assert.rejects((async () => srnn.createSweep(await srnn.loadScenarioText(yaml, 'missing.yaml')).plan)(), (error: unknown) => {
      assert.ok(error instanceof ScenarioError, String(error));
      assert.match(error.message, /^missing\.yaml:3:\d+: .*no init scheme for fft; byType names weightwise/);
      return true;
    });
  });

  it("a scheme the type does not have is an error at that type's entry, listing the type's schemes", async () => {
    const yaml = scenario('weightwise', '{ byType: { weightwise: orthogonal } }');
    await assert.rejects((async () => srnn.createSweep(await srnn.loadScenarioText(yaml, 'unknown.yaml')).plan)(), (error: unknown) => {
      assert.ok(error instanceof ScenarioError, String(error));
      assert.match(error.message, /^unknown\.yaml:3:\d+: population\.init\.byType\.weightwise: unknown init "orthogonal" for weightwise; expected one of: default, glorot-uniform/);
      return true;
    });
  });
});
