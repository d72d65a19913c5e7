import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PARTICLE_CLASSES, type RunEvent, type RunResult } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import recurrentModule from './recurrent-module';

/** Only what these runs need: the network type and the two experiments (the tfjs backend's tests compare tfjs with js). */
const MODULES = [recurrentModule, selfTrainModule, selfApplicationModule];

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: MODULES });
});

async function run(yaml: string, overrides: { backend?: string } = {}): Promise<{ result: RunResult; events: RunEvent[] }> {
  const loaded = await srnn.loadScenarioText(yaml, 'recurrent.yaml');
  const created = srnn.createRun(loaded, overrides);
  const events: RunEvent[] = [];
  created.events$.subscribe((e) => events.push(e));
  return { result: await created.execute(), events };
}

const classOf = (result: RunResult, i: number) => PARTICLE_CLASSES[result.population.classes[i]];
/** y_t = x_t: 1 at flat 0, 6 and 14 (see the classification tests). */
const PASS_THROUGH = '[1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]';

describe('recurrent networks in scenarios', () => {
  it('is registered as architecture type recurrent with 17 weights at the defaults', async () => {
    assert.equal(srnn.registry.architecture('recurrent').type, 'recurrent', 'its module registers the architecture');
    const { events } = await run(`architecture: { type: recurrent }
population: { size: 2 }
experiment: { type: self-application, steps: 1 }
`);
    const started = events.find((e) => e.kind === 'run-started');
    assert.ok(started && started.kind === 'run-started');
    assert.equal(started.info.weightCount, 17);
  });

  it('validates its options', async () => {
    await assert.rejects(
      srnn.loadScenarioText(`architecture: { type: recurrent, aggregates: 4 }
population: { size: 2 }
experiment: { type: self-application }
`),
    );
    await assert.rejects(
      srnn.loadScenarioText(`architecture: { type: recurrent, activation: softmax }
population: { size: 2 }
experiment: { type: self-application }
`),
    );
    const { result } = await run(`architecture: { type: recurrent, width: 3, depth: 1, bias: true, layout: in-out, activation: tanh }
population: { size: 2, init: glorot-uniform }
experiment: { type: self-train, steps: 2 }
`);
    assert.equal(result.info.weightCount, 3 + 9 + 3 + 3 + 1 + 1);
  });

  it('self-application leaves the pass-through net where it is and stops at once', async () => {
    const { result } = await run(`architecture: { type: recurrent }
population: { size: 1, init: { weights: [${PASS_THROUGH}] } }
experiment: { type: self-application, steps: 100 }
`);
    assert.equal(classOf(result, 0), 'fixpoint');
    assert.deepEqual(Array.from(result.population.weights), JSON.parse(PASS_THROUGH));
  });

  it('self-training leaves the pass-through net unchanged: its loss and gradient are zero', async () => {
    const { result } = await run(`architecture: { type: recurrent }
population: { size: 1, init: { weights: [${PASS_THROUGH}] } }
experiment: { type: self-train, steps: 50 }
`);
    assert.equal(classOf(result, 0), 'fixpoint');
    assert.deepEqual(Array.from(result.population.weights), JSON.parse(PASS_THROUGH));
  });

  it('self-training takes a census with the mean loss, and the loss falls', async () => {
    const { events } = await run(`seed: 4
architecture: { type: recurrent }
population: { size: 10 }
experiment: { type: self-train, steps: 200, censusEvery: 100 }
`);
    const losses = events.flatMap((e) => (e.kind === 'census' && e.meanLoss !== undefined ? [e.meanLoss] : []));
    assert.equal(losses.length, 2);
    assert.ok(losses[1] < losses[0], `mean loss ${losses[0]} → ${losses[1]}`);
  });

  // PAPER.md §4.1–4.2: self-application of random recurrent nets yields no non-trivial replicator,
  // and self-trained ones diverge or end as other. Observed with seed 1 (js): self-application
  // 98 zero, 2 divergent; self-training (1000 steps, lr 0.04) 100 other, mean loss ≈ 5e-4.
  it('self-application of 100 random nets yields no non-trivial fixpoint: they diverge or collapse to zero', async () => {
    const { result } = await run(`seed: 1
architecture: { type: recurrent }
population: { size: 100 }
experiment: { type: self-application, steps: 100 }
`);
    assert.equal(result.census.fixpoint, 0);
    assert.equal(result.census.divergent + result.census.zero, 100, JSON.stringify(result.census));
  });

  it('self-training 100 random nets for 1000 steps makes no fixpoint: they diverge or end as other', async () => {
    const { result } = await run(`seed: 1
architecture: { type: recurrent }
population: { size: 100 }
experiment: { type: self-train, steps: 1000, lr: 0.04 }
`);
    assert.equal(result.census.fixpoint, 0);
    assert.equal(result.census.divergent + result.census.other, 100, JSON.stringify(result.census));
  });
});
