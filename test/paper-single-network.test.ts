import 'reflect-metadata';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Srnn, type SweepSummaryRow } from '@srnn/core';

/**
 * The paper scenarios of PAPER.md §4.1–4.3 and §4.9, run as a user would (same files, same seeds),
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

  it('mixed: the weightwise fixpoint fraction rises with training epochs per self-application', async () => {
    const summary = await summaryOf('mixed.yaml');
    const ts = [0, 10, 50, 100, 250, 500];
    const fixpoints = ts.map((t) => row(summary, { 'architecture.type': 'weightwise', 'experiment.trainsPerApplication': t }).mean.fixpoint);
    for (let i = 1; i < ts.length; i++) assert.ok(fixpoints[i] >= fixpoints[i - 1] - 0.02, `non-decreasing: ${fixpoints}`);
    assert.ok(fixpoints[0] < 0.05 && fixpoints[ts.length - 1] > 0.6, `${fixpoints}`);
    for (const t of ts) assert.equal(row(summary, { 'architecture.type': 'aggregating', 'experiment.trainsPerApplication': t }).mean.fixpoint, 0);
  });

  it('density: no random net of the paper’s sizes already is a fixpoint', async () => {
    const summary = await summaryOf('density.yaml');
    for (const type of TYPES) {
      const { mean } = row(summary, { 'architecture.type': type });
      assert.equal(mean.fixpoint + mean.zero + mean['second-order'], 0, type);
    }
  });
});
