import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { Srnn, type SweepSummaryRow } from '@srnn/runner';
import { tempDir } from './support/helpers';

/**
 * The paper scenarios of PAPER.md §4.1–4.3, 4.5 and 4.9, run as a user would (same files, same seeds),
 * must show the paper's qualitative findings.
 */
const paper = (name: string) => join(__dirname, '..', '..', 'scenarios', 'paper', name);

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create();
});

async function summaryOf(file: string): Promise<readonly SweepSummaryRow[]> {
  const loaded = await srnn.loadScenario(paper(file));
  return (await srnn.createSweep(loaded).execute()).summary;
}

const row = (summary: readonly SweepSummaryRow[], values: Record<string, unknown>) => {
  const found = summary.find((r) => Object.entries(values).every(([k, v]) => r.values[k] === v));
  assert.ok(found, `a summary row for ${JSON.stringify(values)}`);
  return found;
};
const TYPES = ['weightwise', 'aggregating', 'fft', 'recurrent'];

describe('paper scenarios: single networks (PAPER.md §4.1–4.3, 4.9)', () => {
  it('self-application (2019): no non-trivial fixpoint; weightwise nets split between divergent and zero', async () => {
    const summary = await summaryOf('self-application-2019.yaml');
    for (const type of TYPES) {
      const { mean } = row(summary, { 'architecture.type': type });
      assert.equal(mean.fixpoint, 0, type);
      assert.ok(mean.divergent + mean.zero > 0.999, `${type} only diverges or collapses`);
    }
    const weightwise = row(summary, { 'architecture.type': 'weightwise' }).mean;
    assert.ok(weightwise.divergent > 0.3 && weightwise.divergent < 0.6, `≈ 45 % diverge with Glorot: ${weightwise.divergent}`);
  });

  it('self-application (2022 init): no non-trivial fixpoint and almost no weightwise divergence', async () => {
    const summary = await summaryOf('self-application.yaml');
    for (const type of TYPES) assert.equal(row(summary, { 'architecture.type': type }).mean.fixpoint, 0, type);
    assert.ok(row(summary, { 'architecture.type': 'weightwise' }).mean.divergent < 0.05);
  });

  for (const file of ['self-train-2019.yaml', 'self-train.yaml']) {
    it(`${file}: ≥ 90 % of weightwise nets become fixpoints, aggregating and fft nets end as other`, async () => {
      const summary = await summaryOf(file);
      assert.ok(row(summary, { 'architecture.type': 'weightwise' }).mean.fixpoint >= 0.9);
      for (const type of ['aggregating', 'fft']) assert.ok(row(summary, { 'architecture.type': type }).mean.other > 0.95, type);
      const recurrent = row(summary, { 'architecture.type': 'recurrent' }).mean;
      assert.ok(recurrent.divergent + recurrent.other > 0.95, 'recurrent nets diverge or end as other');
    });
  }

  it("mixed (2019 figure): in the paper's metric (zero + non-zero fixpoints) weightwise nets rise with t, aggregating nets score high as zero fixpoints, recurrent nets rarely", async () => {
    const summary = await summaryOf('mixed.yaml');
    const ts = [0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500];
    const at = (type: string, t: number) => row(summary, { 'architecture.type': type, 'experiment.trainsPerApplication': t }).mean;
    const either = (type: string) => ts.map((t) => at(type, t).zero + at(type, t).fixpoint);
    const weightwise = either('weightwise');
    for (let i = 2; i < ts.length; i++) assert.ok(weightwise[i] >= weightwise[i - 1] - 0.03, `rising from t = 50: ${weightwise}`);
    assert.ok(weightwise[ts.length - 1] > 0.85, `nearly all at t = 500: ${weightwise}`);
    const nonZero = ts.map((t) => at('weightwise', t).fixpoint);
    assert.equal(nonZero[0], 0, 'self-application alone yields no non-trivial fixpoint');
    assert.ok(nonZero[ts.length - 1] > 0.8, `the non-zero share grows to most: ${nonZero}`);
    for (const t of ts) {
      assert.ok(at('aggregating', t).zero > 0.8 && at('aggregating', t).fixpoint === 0, `aggregating at t = ${t}: zero fixpoints`);
      assert.ok(at('recurrent', t).zero + at('recurrent', t).fixpoint < 0.2 && at('recurrent', t).fixpoint === 0, `recurrent at t = ${t}`);
    }
  });

  it('the 2019 scenarios initialise recurrent nets as Keras does (orthogonal recurrent kernels), the MLP types Glorot-uniform', () => {
    for (const name of ['self-application-2019.yaml', 'self-train-2019.yaml', 'mixed.yaml']) {
      const { population } = parseYaml(readFileSync(paper(name), 'utf8'));
      const { byType } = population.init as { byType: Record<string, string> };
      assert.equal(byType.recurrent, 'orthogonal', name);
      for (const type of ['weightwise', 'aggregating']) assert.equal(byType[type], 'glorot-uniform', `${name}: ${type}`);
    }
  });

  it("clones: the authors' sampling — 5 fresh parents per level, 10 clones each, MAE decides — over several seeds", async () => {
    const text = readFileSync(paper('clones.yaml'), 'utf8');
    const { population, experiment, replicates } = parseYaml(text);
    assert.deepEqual([experiment.parents, experiment.distance, experiment.clones, experiment.perturbation ?? 'uniform'], ['per-level', 'mae', 10, 'uniform']);
    assert.equal(population.size, 5 * experiment.levels.length, '5 parents per level');
    assert.ok(replicates >= 5, 'several seeds');
    // two of the replicates, as written otherwise
    const sweep = srnn.createSweep(await srnn.loadScenarioText(text.replace(/^replicates: \d+$/m, 'replicates: 2'), paper('clones.yaml')));
    const dir = tempDir('srnn-paper-clones-');
    await sweep.execute(dir);
    const runs = readdirSync(join(dir, 'runs')).map((run) => JSON.parse(readFileSync(join(dir, 'runs', run, 'clones-levels.json'), 'utf8')) as Record<string, number>[]);
    assert.equal(runs.length, 2);
    for (const levels of runs) {
      const share = (level: number, movement: string) => levels.find((l) => l.level === level)![movement] / levels.find((l) => l.level === level)!.clones;
      for (const l of levels) {
        assert.ok(l.parents <= 5 && l.clones === 10 * l.parents && l.clones >= 30, `level ${l.level}: ${l.parents} parents, ${l.clones} clones`);
        assert.equal(l.class_fixpoint, l.clones, 'every clone ends as a fixpoint');
      }
      for (const level of [1e-1, 1e-2, 1e-3]) assert.ok(share(level, 'approaching') >= 0.9, `approaching at ${level}`);
      for (const level of [1e-9, 1e-10]) assert.ok(share(level, 'stationary') >= 0.4, `stationary at ${level}`);
    }
  });

  it('density: no random net of the paper’s sizes already is a fixpoint', async () => {
    const summary = await summaryOf('density.yaml');
    for (const type of TYPES) {
      const { mean } = row(summary, { 'architecture.type': type });
      assert.equal(mean.fixpoint + mean.zero + mean['second-order'], 0, type);
    }
  });
});
