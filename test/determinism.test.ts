import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Srnn } from '@srnn/runner';
import { smallScenario, tempDir, type WeightsJson } from './support/helpers';

/** Runs scenario text into a fresh results directory and returns its weights.json text. */
async function weightsJsonOf(srnn: Srnn, yaml: string, overrides: { seed?: number; backend?: string }): Promise<string> {
  const loaded = await srnn.loadScenarioText(yaml, 'determinism.yaml');
  const run = srnn.createRun(loaded, overrides);
  const dir = join(tempDir('srnn-determinism-'), 'out');
  await srnn.runIntoDirectory(run, dir);
  return readFileSync(join(dir, 'weights.json'), 'utf8');
}

const FULL_BATCH = smallScenario({ size: 6, steps: 15 });
const BATCH_ONE = smallScenario({ size: 4, steps: 6, batch: 1 });
const SELF_APPLICATION = ['seed: 2', 'architecture: { type: weightwise }', 'population: { size: 6 }', 'experiment: { type: self-application, steps: 10 }', ''].join('\n');

describe('determinism', () => {
  let srnn: Srnn;
  let other: Srnn;

  before(async () => {
    srnn = await Srnn.create();
    other = await Srnn.create();
  });

  for (const backend of ['js', 'tfjs']) {
    test(`${backend}: two runs of one scenario with one seed give byte-identical weights.json`, async () => {
      const first = await weightsJsonOf(srnn, FULL_BATCH, { seed: 21, backend });
      const second = await weightsJsonOf(other, FULL_BATCH, { seed: 21, backend });
      assert.equal(second, first);
      // and a run with another seed in between does not disturb the next one
      await weightsJsonOf(srnn, FULL_BATCH, { seed: 22, backend });
      assert.equal(await weightsJsonOf(srnn, FULL_BATCH, { seed: 21, backend }), first);
    });

    test(`${backend}: different seeds give different weights`, async () => {
      const a = JSON.parse(await weightsJsonOf(srnn, FULL_BATCH, { seed: 1, backend })) as WeightsJson;
      const b = JSON.parse(await weightsJsonOf(srnn, FULL_BATCH, { seed: 2, backend })) as WeightsJson;
      for (let i = 0; i < a.particles.length; i++) assert.notDeepEqual(a.particles[i].weights, b.particles[i].weights, `particle ${i}`);
    });

    test(`${backend}: self-train with batch: 1 (random row order) is deterministic per seed`, async () => {
      const first = await weightsJsonOf(srnn, BATCH_ONE, { seed: 5, backend });
      assert.equal(await weightsJsonOf(other, BATCH_ONE, { seed: 5, backend }), first);
      assert.notEqual(await weightsJsonOf(srnn, BATCH_ONE, { seed: 6, backend }), first);
    });
  }

  test('with fixed initial weights, the seed changes batch: 1 training (row order) but not full-batch training', async () => {
    const init = [
      [0.3, -0.2, 0.1, 0.4, -0.5, 0.25, 0.6, -0.1, 0.7, 0.2, -0.3, 0.15, 0.8, -0.05],
      [-0.4, 0.1, 0.35, -0.2, 0.45, -0.3, 0.05, 0.5, -0.6, 0.3, 0.2, -0.25, 0.55, 0.1],
    ];
    const scenario = (batch: 'full' | 1) =>
      ['architecture: { type: weightwise }', `population: { size: 2, init: { weights: ${JSON.stringify(init)} } }`, `experiment: { type: self-train, steps: 3, lr: 0.01, batch: ${batch} }`, ''].join(
        '\n',
      );
    assert.equal(await weightsJsonOf(srnn, scenario('full'), { seed: 1 }), await weightsJsonOf(srnn, scenario('full'), { seed: 2 }));
    assert.notEqual(await weightsJsonOf(srnn, scenario(1), { seed: 1 }), await weightsJsonOf(srnn, scenario(1), { seed: 2 }));
    assert.notEqual(await weightsJsonOf(srnn, scenario(1), { seed: 1 }), await weightsJsonOf(srnn, scenario('full'), { seed: 1 }));
  });

  test('self-application is deterministic per seed', async () => {
    const first = await weightsJsonOf(srnn, SELF_APPLICATION, {});
    assert.equal(await weightsJsonOf(other, SELF_APPLICATION, {}), first);
  });

  test('run.execute() returns the final population that weights.json records, in population order', async () => {
    const loaded = await srnn.loadScenarioText(FULL_BATCH, 'determinism.yaml');
    const result = await srnn.createRun(loaded, { seed: 21 }).execute();
    const file = JSON.parse(await weightsJsonOf(srnn, FULL_BATCH, { seed: 21 })) as WeightsJson;
    const { weights, uids, weightCount } = result.population;
    assert.ok(weights instanceof Float32Array);
    assert.equal(weightCount, 14);
    assert.equal(file.particles.length, uids.length);
    file.particles.forEach((particle, i) => {
      assert.equal(particle.uid, uids[i]);
      // weights.json writes each float32 as its shortest decimal: it reads back to the same float32
      assert.deepEqual(
        particle.weights.map((w) => Math.fround(Number(w))),
        Array.from(weights.subarray(i * weightCount, (i + 1) * weightCount)),
      );
    });
  });
});
