import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Srnn, type RunEvent, type RunResult } from '@srnn/core';

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create();
});

async function run(yaml: string, backend?: string): Promise<{ result: RunResult; events: RunEvent[] }> {
  const loaded = await srnn.loadScenarioText(yaml, 'test.yaml');
  const run = srnn.createRun(loaded, backend ? { backend } : {});
  const events: RunEvent[] = [];
  run.events$.subscribe((e) => events.push(e));
  return { result: await run.execute(), events };
}

const total = (result: RunResult) => Object.values(result.census).reduce((a, b) => a + b, 0);

describe('aggregating networks in scenarios', () => {
  it('is registered with its defaults: k = 4 average aggregates, no shuffle, 20 weights', async () => {
    const loaded = await srnn.loadScenarioText('architecture: { type: aggregating }\npopulation: { size: 1 }\nexperiment: { type: self-application, steps: 1 }\n');
    assert.deepEqual(loaded.scenario.architecture, {
      type: 'aggregating', width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', aggregates: 4, aggregator: 'average', shuffle: 'none',
    });
    const { events } = await run('architecture: { type: aggregating }\npopulation: { size: 1 }\nexperiment: { type: self-application, steps: 1 }\n');
    const started = events.find((e) => e.kind === 'run-started');
    assert.equal(started?.kind === 'run-started' && started.info.weightCount, 20);
  });

  it('rejects unknown options and bad values with the registered choices', async () => {
    await assert.rejects(srnn.loadScenarioText('architecture: { type: aggregating, aggregator: median }\nexperiment: { type: self-train, steps: 1 }\n'), /aggregator/);
    await assert.rejects(srnn.loadScenarioText('architecture: { type: aggregating, aggregates: 0 }\nexperiment: { type: self-train, steps: 1 }\n'), /aggregates/);
    await assert.rejects(srnn.loadScenarioText('architecture: { type: aggregating, coefficients: 4 }\nexperiment: { type: self-train, steps: 1 }\n'), /coefficients/);
  });

  for (const backend of ['js', 'tfjs']) {
    it(`self-trains a seeded population end to end; every net ends classified (${backend})`, async () => {
      const { result, events } = await run(
        `seed: 1
architecture: { type: aggregating }
population: { size: 20 }
experiment: { type: self-train, steps: 200, lr: 0.04, momentum: 0.5, censusEvery: 100 }
`,
        backend,
      );
      assert.equal(total(result), 20);
      const censuses = events.filter((e) => e.kind === 'census');
      assert.deepEqual(censuses.map((e) => e.step), [0, 100, 200]);
      const losses = censuses.slice(1).map((e) => (e.kind === 'census' ? e.meanLoss! : NaN));
      assert.ok(losses[1] < losses[0], `the mean loss falls: ${losses}`);
    });
  }

  it('js and tfjs reach the same census and weights within float32 tolerance', async () => {
    const yaml = `seed: 4
architecture: { type: aggregating, activation: tanh, bias: true, aggregator: max }
population: { size: 10 }
experiment: { type: self-train, steps: 50, lr: 0.04 }
`;
    const [a, b] = [(await run(yaml, 'js')).result, (await run(yaml, 'tfjs')).result];
    assert.deepEqual(a.census, b.census);
    a.population.weights.forEach((v, i) => assert.ok(Math.abs(v - b.population.weights[i]) <= 1e-4, `weight ${i}: ${v} vs ${b.population.weights[i]}`));
  });

  for (const shuffle of ['none', 'random']) {
    it(`self-applies a seeded population end to end, reproducibly (shuffle: ${shuffle})`, async () => {
      const yaml = `seed: 2
architecture: { type: aggregating, shuffle: ${shuffle} }
population: { size: 20 }
experiment: { type: self-application, steps: 100 }
`;
      const first = (await run(yaml)).result;
      const again = (await run(yaml)).result;
      assert.equal(total(first), 20);
      assert.deepEqual(again.population.weights, first.population.weights);
      assert.deepEqual(again.census, first.census);
    });
  }
});
