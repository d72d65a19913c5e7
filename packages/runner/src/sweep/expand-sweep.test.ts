import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { Architecture, Experiment, KernelProvider, ScenarioError, type ExperimentContext, type NetworkKernels, type NetworkShape, type WeightBatch, type Rng } from '@srnn/core';
import { Srnn } from '../srnn';
import { canonicalJson, expandSweep, isSweep, runSeed, type SweepOverrides, type SweepPlan } from './expand-sweep';

/** A network of `n` weights whose function is the identity (every net is its own fixpoint). */
const toyArchitecture: Architecture = {
  type: 'toy',
  description: 'test: identity nets of n weights',
  optionsSchema: z.object({ n: z.number().int().positive().default(3), max: z.number().int().default(10) }).strict(),
  build(options: Record<string, unknown>): NetworkShape {
    const { n, max } = options as { n: number; max: number };
    if (n > max) throw new Error(`n = ${n} exceeds max = ${max}`);
    return {
      type: 'toy',
      weightCount: n,
      initSchemes: ['default'],
      initialize: (_scheme: string, out: Float32Array, rng: Rng) => out.forEach((_, i) => (out[i] = rng.uniform(-1, 1))),
    };
  },
};

const toyKernels: KernelProvider = {
  architecture: 'toy',
  backend: 'js',
  create(network: NetworkShape): NetworkKernels {
    const n = network.weightCount;
    return {
      samplesPerNetwork: n,
      apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch) {
        input.index.forEach((row, k) => out.data.copyWithin(out.index[k] * n, row * n, row * n + n));
      },
      train() {},
      dispose() {},
    };
  },
};

const toyExperiment: Experiment = {
  type: 'toy-run',
  description: 'test: one census',
  optionsSchema: z.object({ steps: z.number().int().min(0).default(1), lr: z.number().positive().default(0.1) }).strict(),
  totalWork: () => 1,
  async run(context: ExperimentContext) {
    context.census(0);
  },
};

let srnn: Srnn;
before(async () => {
  const toys = new ContainerModule(({ bind }) => {
    bind(Architecture).toConstantValue(toyArchitecture);
    bind(Experiment).toConstantValue(toyExperiment);
    bind(KernelProvider).toConstantValue(toyKernels);
  });
  srnn = await Srnn.create({ discover: false, modules: [toys] });
});

async function plan(lines: string[], overrides: SweepOverrides = {}): Promise<SweepPlan> {
  const loaded = await srnn.loadScenarioText(lines.join('\n') + '\n', 'sweep.yaml');
  return expandSweep(loaded, srnn.registry, overrides);
}

const BASE = ['seed: 5', 'architecture: { type: toy }', 'population: { size: 2 }', 'experiment: { type: toy-run }'];

async function expectError(lines: string[], line: number, column: number, message: RegExp): Promise<void> {
  await assert.rejects(plan(lines), (error: unknown) => {
    assert.ok(error instanceof ScenarioError, String(error));
    assert.match(error.detail, message);
    assert.deepEqual([error.line, error.column], [line, column], error.message);
    return true;
  });
}

describe('sweep expansion', () => {
  it('runs the cartesian product in the order the keys appear, first key slowest, replicates innermost', async () => {
    const p = await plan([...BASE, 'sweep:', '  experiment.lr: [0.1, 0.2]', '  architecture.n: [2, 3, 4]', 'replicates: 2']);
    assert.deepEqual(p.keys, ['experiment.lr', 'architecture.n']);
    assert.deepEqual(p.combinations, [
      { 'experiment.lr': 0.1, 'architecture.n': 2 },
      { 'experiment.lr': 0.1, 'architecture.n': 3 },
      { 'experiment.lr': 0.1, 'architecture.n': 4 },
      { 'experiment.lr': 0.2, 'architecture.n': 2 },
      { 'experiment.lr': 0.2, 'architecture.n': 3 },
      { 'experiment.lr': 0.2, 'architecture.n': 4 },
    ]);
    assert.equal(p.runs.length, 12);
    assert.deepEqual(
      p.runs.slice(0, 3).map((r) => [r.index, r.id, r.combination, r.replicate]),
      [
        [0, '0000-experiment.lr=0.1-architecture.n=2-r0', 0, 0],
        [1, '0001-experiment.lr=0.1-architecture.n=2-r1', 0, 1],
        [2, '0002-experiment.lr=0.1-architecture.n=3-r0', 1, 0],
      ],
    );
    assert.equal(p.runs[11].id, '0011-experiment.lr=0.2-architecture.n=4-r1');
  });

  it('gives each run the base scenario with its key paths set, defaults filled, no sweep and one replicate', async () => {
    const p = await plan([...BASE, 'sweep: { experiment.lr: [0.5], architecture.n: [7] }', 'classify: { epsilon: 0.001 }']);
    const { scenario } = p.runs[0];
    assert.deepEqual(scenario.experiment, { type: 'toy-run', steps: 1, lr: 0.5 });
    assert.deepEqual(scenario.architecture, { type: 'toy', n: 7, max: 10 });
    assert.deepEqual(scenario.classify, { epsilon: 0.001, strict: false });
    assert.equal(scenario.sweep, undefined);
    assert.equal(scenario.replicates, 1);
    assert.equal(scenario.seed, p.runs[0].seed);
    assert.deepEqual(p.base.sweep, { 'experiment.lr': [0.5], 'architecture.n': [7] }, 'the base keeps its sweep');
  });

  it('sets key paths the base scenario leaves out', async () => {
    const p = await plan([...BASE, 'sweep: { classify.strict: [true, false] }']);
    assert.deepEqual(
      p.runs.map((r) => r.scenario.classify),
      [
        { epsilon: 1e-5, strict: true },
        { epsilon: 1e-5, strict: false },
      ],
    );
  });

  it('derives stable seeds, distinct across combinations and replicates, within 0 … 2³² − 1', async () => {
    const lines = [...BASE, 'sweep: { experiment.lr: [0.1, 0.2, 0.3] }', 'replicates: 4'];
    const first = await plan(lines);
    const again = await plan(lines);
    assert.deepEqual(
      again.runs.map((r) => r.seed),
      first.runs.map((r) => r.seed),
    );
    assert.equal(new Set(first.runs.map((r) => r.seed)).size, 12);
    for (const { seed } of first.runs) assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, String(seed));
    assert.equal(first.runs[5].seed, runSeed(5, { 'experiment.lr': 0.2 }, 1));
  });

  it("derives a run's seed from its identity, not from which other combinations exist or their order", async () => {
    const small = await plan([...BASE, 'sweep: { experiment.lr: [0.1, 0.2] }', 'replicates: 2']);
    const large = await plan([...BASE, 'sweep: { experiment.lr: [0.3, 0.2, 0.1] }', 'replicates: 3']);
    const seedOf = (p: SweepPlan, lr: number, replicate: number) => p.runs.find((r) => r.values['experiment.lr'] === lr && r.replicate === replicate)!.seed;
    for (const lr of [0.1, 0.2]) for (const r of [0, 1]) assert.equal(seedOf(large, lr, r), seedOf(small, lr, r));

    const ab = await plan([...BASE, 'sweep: { experiment.lr: [0.1], architecture.n: [2, 3] }']);
    const ba = await plan([...BASE, 'sweep: { architecture.n: [3, 2], experiment.lr: [0.1] }']);
    assert.deepEqual(
      ab.runs.map((r) => r.seed),
      [ba.runs[1].seed, ba.runs[0].seed],
      'the order of the keys does not matter either',
    );
  });

  it('derives the seeds from the base seed, which an override replaces', async () => {
    const lines = [...BASE, 'sweep: { experiment.lr: [0.1, 0.2] }'];
    const base = await plan(lines);
    const other = await plan(lines, { seed: 6 });
    assert.equal(other.base.seed, 6);
    assert.deepEqual(
      other.runs.map((r) => r.seed),
      [runSeed(6, { 'experiment.lr': 0.1 }, 0), runSeed(6, { 'experiment.lr': 0.2 }, 0)],
    );
    assert.notDeepEqual(
      other.runs.map((r) => r.seed),
      base.runs.map((r) => r.seed),
    );
  });

  it('keeps the scenario seed itself for a single run (no sweep, one replicate)', async () => {
    const p = await plan(BASE);
    assert.equal(isSweep(p.base), false);
    assert.deepEqual(
      p.runs.map((r) => [r.id, r.seed]),
      [['0000-r0', 5]],
    );
    const replicated = await plan([...BASE, 'replicates: 3']);
    assert.equal(isSweep(replicated.base), true);
    assert.deepEqual(
      replicated.runs.map((r) => r.id),
      ['0000-r0', '0001-r1', '0002-r2'],
    );
    assert.deepEqual(
      replicated.runs.map((r) => r.seed),
      [0, 1, 2].map((r) => runSeed(5, {}, r)),
    );
  });

  it('applies overrides to the base before the sweep: events and backend', async () => {
    const p = await plan([...BASE, 'sweep: { experiment.lr: [0.1] }'], { events: true, backend: 'js' });
    assert.deepEqual(p.runs[0].scenario.output, { events: true });
    assert.equal(p.runs[0].scenario.backend, 'js');
  });

  it('names runs with filesystem-safe ids', async () => {
    const p = await plan([...BASE, 'sweep:', '  name: ["a b/c", "x:y*z", "a very long name that goes on and on and on and on"]', '  population.init: [default, { weights: [[1, 2, 3], [4, 5, 6]] }]']);
    for (const { id } of p.runs) assert.match(id, /^[A-Za-z0-9._+=~-]+$/, id);
    assert.equal(p.runs[0].id, '0000-name=a_b_c-population.init=default-r0');
    assert.equal(new Set(p.runs.map((r) => r.id)).size, p.runs.length);
    assert.ok(p.runs.every((r) => r.id.length <= 200));
  });
});

describe('sweep expansion errors, located in the scenario file before anything runs', () => {
  it('an invalid value is located at its entry in the sweep list', async () => {
    await expectError([...BASE, 'sweep:', '  experiment.lr: [0.1, -1]'], 6, 24, /sweep combination experiment\.lr=-1: experiment\.lr: .*>0/);
  });

  it('a key path the schema does not know is located at the sweep value', async () => {
    await expectError([...BASE, 'sweep:', '  experiment.rate: [0.1]'], 6, 21, /unknown key "rate" in experiment; expected one of: type, steps, lr/);
  });

  it('a combination whose network cannot be built is located at the value that causes it', async () => {
    await expectError([...BASE, 'sweep:', '  architecture.max: [10]', '  architecture.n: [2, 20]'], 7, 23, /architecture\.n=20: architecture: n = 20 exceeds max = 10/);
  });

  it('a population size that does not match explicit initial weights is located at the swept size', async () => {
    const lines = ['architecture: { type: toy }', 'population: { size: 2, init: { weights: [[1, 2, 3], [4, 5, 6]] } }', 'experiment: { type: toy-run }', 'sweep:', '  population.size: [2, 3]'];
    await expectError(lines, 5, 24, /population\.size=3: population\.init\.weights: expected 3 weight vectors/);
  });

  it('seed, replicates and plugins cannot be swept; overlapping keys and repeated values are rejected', async () => {
    await expectError([...BASE, 'sweep:', '  seed: [1, 2]'], 6, 3, /seed cannot be swept.*replicates/);
    await expectError([...BASE, 'sweep:', '  replicates: [1, 2]'], 6, 3, /replicates cannot be swept/);
    await expectError([...BASE, 'sweep:', '  architecture: [{ type: toy }]', '  architecture.n: [2]'], 7, 3, /"architecture\.n" overlaps "architecture"/);
    await expectError([...BASE, 'sweep:', '  experiment.lr: [0.1, 0.2, 0.1]'], 6, 29, /value 0\.1 appears twice/);
    await expectError([...BASE, 'sweep:', '  experiment.type.x: [1]'], 6, 3, /experiment\.type is not a mapping/);
  });

  it('canonical JSON sorts object keys at every depth', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }] }), '{"a":[{"c":"x","d":2}],"b":1}');
  });
});
