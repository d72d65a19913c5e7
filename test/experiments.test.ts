import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PARTICLE_CLASSES, type RunEvent, type RunResult } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { REPO_ROOT } from './support/helpers';

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create();
});

async function run(yaml: string, overrides: { backend?: string } = {}): Promise<{ result: RunResult; events: RunEvent[] }> {
  const loaded = await srnn.loadScenarioText(yaml, 'test.yaml');
  const run = srnn.createRun(loaded, overrides);
  const events: RunEvent[] = [];
  run.events$.subscribe((e) => events.push(e));
  return { result: await run.execute(), events };
}

/** The authors' PyTorch trajectories of the paper's weightwise net, the repository's copy of ../shared/golden. */
const WEIGHTWISE_GOLDEN = join(REPO_ROOT, 'plugins', 'weightwise', 'golden', 'weightwise-golden.json');

const classOf = (result: RunResult, i: number) => PARTICLE_CLASSES[result.population.classes[i]];
const HAND_MADE = '[1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]';

describe('self-train experiment from a scenario', () => {
  for (const backend of ['js', 'tfjs']) {
    it(`reproduces the golden self-training trajectories end to end (${backend})`, async () => {
      const golden = JSON.parse(readFileSync(WEIGHTWISE_GOLDEN, 'utf8'));
      for (const c of golden.cases.filter((c: { kind: string }) => c.kind === 'self-train')) {
        const { result } = await run(
          `seed: 1
architecture: { type: weightwise, width: 2, depth: 2, activation: linear, bias: false }
population: { size: 1, init: { weights: [${JSON.stringify(c.init)}] } }
experiment: { type: self-train, steps: ${c.steps}, lr: ${c.lr}, momentum: ${c.momentum} }
`,
          { backend },
        );
        const final = c.trajectory[c.trajectory.length - 1] as number[];
        final.forEach((v, i) => assert.ok(Math.abs(result.population.weights[i] - v) <= 1e-5, `weight ${i}`));
      }
    });
  }

  it('turns most random weightwise nets into non-trivial fixpoints (lr 0.004, momentum 0.9)', async () => {
    const { result } = await run(`seed: 3
architecture: { type: weightwise }
population: { size: 40 }
experiment: { type: self-train, steps: 5000, lr: 0.004, momentum: 0.9 }
`);
    assert.ok(result.census.fixpoint >= 36, JSON.stringify(result.census));
  });

  it('takes a census every censusEvery steps, with the mean loss, and once at the start', async () => {
    const { events } = await run(`architecture: { type: weightwise }
population: { size: 4 }
experiment: { type: self-train, steps: 10, censusEvery: 4 }
`);
    const censuses = events.filter((e) => e.kind === 'census');
    assert.deepEqual(
      censuses.map((e) => e.step),
      [0, 4, 8, 10],
    );
    assert.equal(censuses[0].meanLoss, undefined);
    assert.ok(censuses.slice(1).every((e) => typeof e.meanLoss === 'number' && e.meanLoss > 0));
  });

  it('2019 settings: batch 1 with lr 0.01 trains too', async () => {
    const { result } = await run(`seed: 2
architecture: { type: weightwise, layout: in-out }
population: { size: 10, init: glorot-uniform }
experiment: { type: self-train, steps: 300, lr: 0.01, batch: 1 }
classify: { epsilon: 1.0e-4, strict: true }
`);
    assert.equal(
      Object.values(result.census).reduce((a, b) => a + b),
      10,
    );
  });
});

describe('self-application experiment from a scenario', () => {
  it('leaves a fixpoint where it is and stops at once', async () => {
    const { result, events } = await run(`architecture: { type: weightwise }
population: { size: 1, init: { weights: [${HAND_MADE}] } }
experiment: { type: self-application, steps: 100 }
`);
    assert.equal(classOf(result, 0), 'fixpoint');
    assert.deepEqual(Array.from(result.population.weights), JSON.parse(HAND_MADE));
    assert.ok(events.filter((e) => e.kind === 'progress').length <= 2, 'no work after every particle stopped');
  });

  it('applies a net to itself exactly as the golden trajectory says, up to steps times', async () => {
    const golden = JSON.parse(readFileSync(WEIGHTWISE_GOLDEN, 'utf8'));
    const c = golden.cases.find((c: { kind: string }) => c.kind === 'self-application');
    const steps = 3;
    const { result } = await run(`architecture: { type: weightwise }
population: { size: 1, init: { weights: [${JSON.stringify(c.init)}] } }
experiment: { type: self-application, steps: ${steps} }
classify: { epsilon: 1.0e-12 }
`);
    (c.trajectory[steps - 1] as number[]).forEach((v, i) => assert.ok(Math.abs(result.population.weights[i] - v) <= 1e-5));
  });

  it('yields no non-trivial fixpoint from random nets: they diverge or collapse to zero', async () => {
    const { result } = await run(`seed: 5
architecture: { type: weightwise }
population: { size: 100, init: glorot-uniform }
experiment: { type: self-application, steps: 100 }
`);
    assert.equal(result.census.fixpoint, 0);
    assert.equal(result.census.divergent + result.census.zero, 100, JSON.stringify(result.census));
  });
});
