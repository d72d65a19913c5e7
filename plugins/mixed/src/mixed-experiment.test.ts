import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PARTICLE_CLASSES, type RunEvent, type RunEventOf, type RunResult } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import { weightwiseModule } from '@srnn/weightwise';
import mixedModule from './mixed-module';

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, selfApplicationModule, selfTrainModule, mixedModule] });
});

async function run(yaml: string): Promise<{ result: RunResult; events: RunEvent[] }> {
  const loaded = await srnn.loadScenarioText(yaml, 'mixed.yaml');
  const run = srnn.createRun(loaded);
  const events: RunEvent[] = [];
  run.events$.subscribe((e) => events.push(e));
  return { result: await run.execute(), events };
}

const censuses = (events: RunEvent[]) => events.filter((e): e is RunEventOf<'census'> => e.kind === 'census');
const progress = (events: RunEvent[]) => events.filter((e) => e.kind === 'progress');

/** 1 at flat positions 0, 8 and 12 (PAPER.md §2): a non-trivial fixpoint, exactly. */
const HAND_MADE = Array.from({ length: 14 }, (_, i) => (i === 0 || i === 8 || i === 12 ? 1 : 0));

function scenario(experiment: string, population: string): string {
  return ['seed: 4', 'architecture: { type: weightwise }', `population: ${population}`, `experiment: ${experiment}`, ''].join('\n');
}

describe('mixed experiment', () => {
  it('with trainsPerApplication 0 gives exactly the weights of self-application for `rounds` steps', async () => {
    const population = '{ size: 12, init: glorot-uniform }';
    const mixed = await run(scenario('{ type: mixed, rounds: 6, trainsPerApplication: 0 }', population));
    const applied = await run(scenario('{ type: self-application, steps: 6, censusEvery: 1 }', population));
    assert.deepEqual(mixed.result.population.weights, applied.result.population.weights);
    assert.deepEqual(mixed.result.census, applied.result.census);
    assert.deepEqual(
      censuses(mixed.events).map((e) => e.census),
      censuses(applied.events).map((e) => e.census),
    );
  });

  it('two rounds give exactly self-application, self-training, self-application, self-training, chained by hand', async () => {
    const mixed = await run(scenario('{ type: mixed, rounds: 2, trainsPerApplication: 7, lr: 0.02 }', '{ size: 4 }'));
    const rows = (r: RunResult) => {
      const W = r.population.weightCount;
      return JSON.stringify(Array.from({ length: r.population.uids.length }, (_, i) => Array.from(r.population.weights.subarray(i * W, (i + 1) * W))));
    };
    let current = (await run(scenario('{ type: self-train, steps: 0 }', '{ size: 4 }'))).result;
    for (let round = 0; round < 2; round++) {
      current = (await run(scenario('{ type: self-application, steps: 1 }', `{ size: 4, init: { weights: ${rows(current)} } }`))).result;
      current = (await run(scenario('{ type: self-train, steps: 7, lr: 0.02 }', `{ size: 4, init: { weights: ${rows(current)} } }`))).result;
    }
    assert.equal(mixed.result.census.other, 4, 'no particle stopped, so no particle was left alone');
    assert.deepEqual(mixed.result.population.weights, current.population.weights);
  });

  it('takes a census at the start and after every round, with the mean loss of the training block', async () => {
    const { events } = await run(scenario('{ type: mixed, rounds: 4, trainsPerApplication: 3 }', '{ size: 5 }'));
    const list = censuses(events);
    assert.deepEqual(
      list.map((e) => e.step),
      [0, 1, 2, 3, 4],
    );
    assert.equal(list[0].meanLoss, undefined);
    for (const e of list.slice(1)) assert.ok(typeof e.meanLoss === 'number' && e.meanLoss >= 0, JSON.stringify(e));
    for (const e of list)
      assert.equal(
        Object.values(e.census).reduce((a, b) => a + b),
        5,
      );
  });

  it('reports rounds × (1 + trainsPerApplication) units of work while particles are moving', async () => {
    const { events } = await run(scenario('{ type: mixed, rounds: 3, trainsPerApplication: 4 }', '{ size: 3 }'));
    const started = events.find((e): e is RunEventOf<'run-started'> => e.kind === 'run-started')!;
    assert.equal(started.info.totalWork, 15);
    assert.deepEqual(
      progress(events).map((e) => (e as RunEventOf<'progress'>).done),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    );
  });

  it('leaves a hand-made fixpoint alone from the first round: no work, weights unchanged', async () => {
    const { result, events } = await run(scenario('{ type: mixed, rounds: 4, trainsPerApplication: 10 }', `{ size: 1, init: { weights: [${JSON.stringify(HAND_MADE)}] } }`));
    assert.equal(PARTICLE_CLASSES[result.population.classes[0]], 'fixpoint');
    assert.deepEqual(Array.from(result.population.weights), HAND_MADE);
    assert.equal(progress(events).length, 0, 'no self-application or training step was taken');
    assert.deepEqual(
      censuses(events).map((e) => e.census.fixpoint),
      [1, 1, 1, 1, 1],
    );
  });

  it('stops a near-fixpoint while the other particles keep training', async () => {
    // within ε of a fixpoint but not exactly one: self-training would move it
    const near = HAND_MADE.map((w, i) => (i === 1 ? 1e-6 : w));
    const other = [0.3, -0.2, 0.1, 0.4, -0.5, 0.25, 0.6, -0.1, 0.7, 0.2, -0.3, 0.15, 0.8, -0.05];
    const init = `{ size: 2, init: { weights: [${JSON.stringify(near)}, ${JSON.stringify(other)}] } }`;
    const { result } = await run(scenario('{ type: mixed, rounds: 2, trainsPerApplication: 5 }', init));
    const trained = await run(scenario('{ type: self-train, steps: 5 }', init));
    const W = 14;
    assert.deepEqual(Array.from(result.population.weights.subarray(0, W)), Array.from(Float32Array.from(near)), 'left alone');
    assert.notDeepEqual(Array.from(trained.result.population.weights.subarray(0, W)), Array.from(Float32Array.from(near)), 'training would move it');
    assert.notDeepEqual(Array.from(result.population.weights.subarray(W)), Array.from(Float32Array.from(other)), 'the other particle moved');
  });

  it('a particle that becomes a fixpoint in a round keeps its weights through the next round', async () => {
    const population = '{ size: 16 }';
    const short = await run(scenario('{ type: mixed, rounds: 1, trainsPerApplication: 3000 }', population));
    const long = await run(scenario('{ type: mixed, rounds: 2, trainsPerApplication: 3000 }', population));
    const W = short.result.population.weightCount;
    const stopped: number[] = [];
    const moving: number[] = [];
    for (let i = 0; i < 16; i++) (['divergent', 'zero', 'fixpoint'].includes(PARTICLE_CLASSES[short.result.population.classes[i]]) ? stopped : moving).push(i);
    assert.ok(stopped.length > 0 && moving.length > 0, `some but not all particles stop after round 1 (${stopped.length} stopped)`);
    const rowOf = (r: RunResult, i: number) => Array.from(r.population.weights.subarray(i * W, (i + 1) * W));
    for (const i of stopped) assert.deepEqual(rowOf(long.result, i), rowOf(short.result, i), `particle ${i} stopped`);
    for (const i of moving) assert.notDeepEqual(rowOf(long.result, i), rowOf(short.result, i), `particle ${i} kept moving`);
  });

  it('with batch 1 and momentum it is deterministic per seed', async () => {
    const yaml = scenario('{ type: mixed, rounds: 3, trainsPerApplication: 4, batch: 1, lr: 0.01, momentum: 0.5 }', '{ size: 6 }');
    const a = await run(yaml);
    const b = await run(yaml);
    assert.deepEqual(a.result.population.weights, b.result.population.weights);
  });

  it('rejects a scenario without trainsPerApplication', async () => {
    await assert.rejects(srnn.loadScenarioText(scenario('{ type: mixed, rounds: 2 }', '{ size: 2 }'), 'bad.yaml'), /trainsPerApplication/);
  });
});
