import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf, RunResult } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { checkpointRoundTrip } from '@srnn/testing';
import { selfTrainModule } from '@srnn/self-train';
import { weightwiseModule } from '@srnn/weightwise';
import densityModule from './density-module';

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, selfTrainModule, densityModule] });
});

async function run(yaml: string): Promise<{ result: RunResult; events: RunEvent[] }> {
  const loaded = await srnn.loadScenarioText(yaml, 'density.yaml');
  const run = srnn.createRun(loaded);
  const events: RunEvent[] = [];
  run.events$.subscribe((e) => events.push(e));
  return { result: await run.execute(), events };
}

const HAND_MADE = Array.from({ length: 14 }, (_, i) => (i === 0 || i === 8 || i === 12 ? 1 : 0));

describe('density experiment', () => {
  it('counts a population of hand-made fixpoints as all fixpoints', async () => {
    const scaled = HAND_MADE.map((w, i) => (i === 0 ? 2 : i === 8 ? 0.5 : w)); // v = 1 · 0.5 · 2 = 1
    // the second hidden unit of each layer is arbitrary: the last layer ignores it, so v = (1, 0, 0, 0) still
    const hidden = [1, 0, 0, 0, 0.3, -0.7, 0.2, 0.9, 1, 0, 0.5, 0.4, 1, 0];
    const { result } = await run(`architecture: { type: weightwise }
population: { size: 3, init: { weights: [${JSON.stringify(HAND_MADE)}, ${JSON.stringify(scaled)}, ${JSON.stringify(hidden)}] } }
experiment: { type: density }
`);
    assert.deepEqual(result.census, { divergent: 0, zero: 0, fixpoint: 3, 'second-order': 0, other: 0 });
  });

  it('counts the zero net as zero, not as a fixpoint', async () => {
    const { result } = await run(`architecture: { type: weightwise }
population: { size: 1, init: { weights: [${JSON.stringify(HAND_MADE.map(() => 0))}] } }
experiment: { type: density }
`);
    assert.deepEqual(result.census, { divergent: 0, zero: 1, fixpoint: 0, 'second-order': 0, other: 0 });
  });

  it('finds no fixpoint among random nets, and leaves their weights as initialised', async () => {
    const yaml = `seed: 8
architecture: { type: weightwise }
population: { size: 200 }
experiment: { type: density }
`;
    const { result, events } = await run(yaml);
    assert.equal(result.census.fixpoint, 0);
    assert.equal(result.census.zero, 0);
    assert.equal(result.census.other + result.census['second-order'], 200, JSON.stringify(result.census));
    // the same seed with no steps of self-training: identical initial weights
    const untouched = await srnn.createRun(await srnn.loadScenarioText(yaml.replace('{ type: density }', '{ type: self-train, steps: 0 }'))).execute();
    assert.deepEqual(result.population.weights, untouched.population.weights);
    const censuses = events.filter((e): e is RunEventOf<'census'> => e.kind === 'census');
    assert.deepEqual(
      censuses.map((e) => [e.step, e.census]),
      [[0, result.census]],
    );
  });

  it('takes no options', async () => {
    await assert.rejects(srnn.loadScenarioText('architecture: { type: weightwise }\npopulation: { size: 2 }\nexperiment: { type: density, steps: 3 }\n', 'bad.yaml'), /unknown key "steps"/);
  });
});

describe('density checkpoints', () => {
  it('a run resumed from its checkpoint (after the census) emits what an uninterrupted run does', async () => {
    const { saved, resumed } = await checkpointRoundTrip(srnn, 'seed: 4\narchitecture: { type: weightwise }\npopulation: { size: 50 }\nexperiment: { type: density }\n', 1);
    assert.deepEqual(saved, [1]);
    assert.deepEqual(resumed, [1]);
  });
});
