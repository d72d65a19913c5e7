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

describe('fft networks in scenarios', () => {
  it('is registered with its defaults: k = 4 (two complex coefficients), 20 weights', async () => {
    const yaml = 'architecture: { type: fft }\npopulation: { size: 1 }\nexperiment: { type: self-application, steps: 1 }\n';
    const loaded = await srnn.loadScenarioText(yaml);
    assert.deepEqual(loaded.scenario.architecture, { type: 'fft', width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 });
    const { events } = await run(yaml);
    const started = events.find((e) => e.kind === 'run-started');
    assert.equal(started?.kind === 'run-started' && started.info.weightCount, 20);
  });

  it('rejects an odd number of coefficients and unknown options', async () => {
    await assert.rejects(srnn.loadScenarioText('architecture: { type: fft, coefficients: 3 }\nexperiment: { type: self-train, steps: 1 }\n'), /coefficients must be even/);
    await assert.rejects(srnn.loadScenarioText('architecture: { type: fft, aggregates: 4 }\nexperiment: { type: self-train, steps: 1 }\n'), /aggregates/);
  });

  for (const backend of ['js', 'tfjs']) {
    it(`self-trains a seeded population end to end; every net ends classified (${backend})`, async () => {
      const { result, events } = await run(
        `seed: 1
architecture: { type: fft }
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
architecture: { type: fft, activation: tanh, bias: true, coefficients: 6 }
population: { size: 10 }
experiment: { type: self-train, steps: 50, lr: 0.04 }
`;
    const [a, b] = [(await run(yaml, 'js')).result, (await run(yaml, 'tfjs')).result];
    assert.deepEqual(a.census, b.census);
    a.population.weights.forEach((v, i) => assert.ok(Math.abs(v - b.population.weights[i]) <= 1e-4, `weight ${i}: ${v} vs ${b.population.weights[i]}`));
  });

  it('self-applies a seeded population end to end, reproducibly', async () => {
    const yaml = `seed: 2
architecture: { type: fft }
population: { size: 20 }
experiment: { type: self-application, steps: 100 }
`;
    const first = (await run(yaml)).result;
    const again = (await run(yaml)).result;
    assert.equal(total(first), 20);
    assert.deepEqual(again.population.weights, first.population.weights);
    assert.deepEqual(again.census, first.census);
  });
});
