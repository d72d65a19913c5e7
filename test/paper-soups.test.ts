import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { RunEvent, RunEventOf } from '@srnn/core';
import { Srnn, type SweepSummaryRow } from '@srnn/runner';
import type { InteractionsEvent } from '@srnn/soup';
import { describeCli, runCli, tempDir, writeFile } from './support/helpers';

/**
 * The soups of PAPER.md §4.7 show the paper's findings. The scenario files of scenarios/paper/ are
 * checked as written; the experiments run as smaller explicit copies of them (same settings, fewer
 * replicates or values), so that the suite stays fast.
 */
const paper = (name: string) => join(__dirname, '..', '..', 'scenarios', 'paper', name);

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create();
});

/** 2019 semantics (PAPER.md §4): in-out layout, Glorot-uniform init, ε 1e-4 strict. */
const SETTINGS_2019 = ['architecture: { type: weightwise, width: 2, depth: 2, activation: linear, bias: false, layout: in-out }', 'classify: { epsilon: 1.0e-4, strict: true }'];

async function summaryOf(yaml: string): Promise<readonly SweepSummaryRow[]> {
  return (await srnn.createSweep(await srnn.loadScenarioText(yaml, 'soup.yaml')).execute()).summary;
}

function meanFixpoints(summary: readonly SweepSummaryRow[], values: Record<string, unknown>): number {
  const row = summary.find((r) => Object.entries(values).every(([k, v]) => r.values[k] === v));
  assert.ok(row, `a summary row for ${JSON.stringify(values)}`);
  return row.mean.fixpoint;
}

const increasing = (xs: readonly number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);

describe('paper soups (PAPER.md §4.7)', () => {
  it('the scenario files have the settings their headers document', () => {
    const read = (name: string) => parseYaml(readFileSync(paper(name), 'utf8'));
    const severity = read('soup-severity.yaml');
    assert.deepEqual(
      severity.experiment.interactions.map((e: { type: string }) => e.type),
      ['learn-from'],
      'learn-from only: no attack, no self-training',
    );
    assert.equal(severity.experiment.respawn, undefined);
    const paperAxis = Array.from({ length: 11 }, (_, i) => 10 * i);
    assert.deepEqual(severity.sweep['experiment.interactions.0.severity'], paperAxis, "the paper's axis 0, 10, …, 100 (0 is learn-from off)");
    const mixed = read('soup-mixed.yaml');
    assert.deepEqual(mixed.sweep['architecture.type'], ['weightwise', 'aggregating']);
    assert.deepEqual(mixed.sweep['experiment.interactions.1.steps'], paperAxis);
    // one soup of 10 varies by up to ± 1.8 fixpoints: 100 soups per point keep the standard error ≤ 0.2
    for (const scenario of [severity, mixed]) assert.ok(scenario.replicates >= 100, `${scenario.name}: ${scenario.replicates} replicates`);
    assert.equal(mixed.experiment.interactions[1].type, 'self-train');
    assert.deepEqual(read('soup-2022.yaml').experiment.interactions[0], { type: 'attack', rate: 0.1, per: 'epoch' });
    assert.equal(read('soup-2022.yaml').experiment.respawn, undefined, 'no respawn in 2022');
    for (const name of ['soup-2019.yaml', 'soup-100.yaml']) assert.deepEqual(read(name).experiment.respawn, { divergent: true, zero: true }, name);
  });

  it('every soup scenario validates, sweeps included', async () => {
    for (const name of ['soup-2019.yaml', 'soup-100.yaml', 'soup-severity.yaml', 'soup-mixed.yaml', 'soup-2022.yaml', 'soup-clones.yaml']) {
      const plan = srnn.createSweep(await srnn.loadScenario(paper(name))).plan;
      assert.ok(plan.runs.length >= 1, name);
    }
  });

  it('learn-from severity ↑ → non-trivial fixpoints ↑ (severity 0: none)', async () => {
    const summary = await summaryOf(
      [
        'seed: 2019',
        ...SETTINGS_2019,
        'population: { size: 10, init: glorot-uniform }',
        'experiment: { type: soup, epochs: 100, interactions: [{ type: learn-from, rate: 0.1, severity: 1, lr: 0.01, batch: 1 }] }',
        'sweep: { experiment.interactions.0.severity: [0, 10, 30, 100] }',
        'replicates: 4',
        '',
      ].join('\n'),
    );
    const fixpoints = [0, 10, 30, 100].map((s) => meanFixpoints(summary, { 'experiment.interactions.0.severity': s }));
    assert.equal(fixpoints[0], 0, `${fixpoints}`);
    assert.ok(increasing(fixpoints), `increasing: ${fixpoints}`);
    assert.ok(fixpoints[3] >= 0.9, `nearly all at severity 100: ${fixpoints}`);
  });

  it('mixed soup: self-training per epoch ↑ → fixpoints ↑ for weightwise nets; aggregating nets never become fixpoints', async () => {
    const summary = await summaryOf(
      [
        'seed: 2019',
        ...SETTINGS_2019,
        'population: { size: 10, init: glorot-uniform }',
        'experiment: { type: soup, epochs: 5, interactions: [{ type: attack, rate: 0.1 }, { type: self-train, steps: 0, lr: 0.01, batch: 1 }] }',
        'sweep: { architecture.type: [weightwise, aggregating], experiment.interactions.1.steps: [0, 30, 100] }',
        'replicates: 4',
        '',
      ].join('\n'),
    );
    const weightwise = [0, 30, 100].map((t) => meanFixpoints(summary, { 'architecture.type': 'weightwise', 'experiment.interactions.1.steps': t }));
    assert.equal(weightwise[0], 0);
    assert.ok(increasing(weightwise), `increasing: ${weightwise}`);
    assert.ok(weightwise[2] >= 0.6, `most at 100 epochs per soup epoch: ${weightwise}`);
    for (const t of [0, 30, 100]) assert.equal(meanFixpoints(summary, { 'architecture.type': 'aggregating', 'experiment.interactions.1.steps': t }), 0);
  });

  it('2019 soup (20 nets, attack 0.1, self-train 30, respawn): most particles end as non-trivial fixpoints, none divergent or zero', async () => {
    const summary = await summaryOf(
      [
        'seed: 2019',
        ...SETTINGS_2019,
        'population: { size: 20, init: glorot-uniform }',
        'experiment:',
        '  type: soup',
        '  epochs: 100',
        '  interactions: [{ type: attack, rate: 0.1 }, { type: self-train, steps: 30, lr: 0.01, batch: 1 }]',
        '  respawn: { divergent: true, zero: true }',
        'replicates: 6',
        '',
      ].join('\n'),
    );
    const { mean } = summary[0];
    assert.ok(mean.fixpoint > 0.6, `mean fixpoint fraction over 6 soups: ${mean.fixpoint}`);
    assert.equal(mean.divergent + mean.zero, 0, 'respawn leaves no divergent or zero particle');
  });

  it('2022 soup: at most one attack per epoch between two different particles; fixpoints come with self-training', async () => {
    const loaded = await srnn.loadScenario(paper('soup-2022.yaml'));
    const run = srnn.createRun(loaded);
    const events: RunEvent[] = [];
    run.events$.subscribe((e) => events.push(e));
    await run.execute();
    const epochs = events.filter((e): e is InteractionsEvent => e.kind === 'interactions');
    assert.equal(epochs.length, 100);
    let attacks = 0;
    for (const epoch of epochs) {
      const k = Array.from(epoch.interactions.code).flatMap((code, i) => (epoch.codes[code] === 'attack' ? [i] : []));
      assert.ok(k.length <= 1);
      for (const i of k) assert.notEqual(epoch.interactions.actor[i], epoch.interactions.partner[i]);
      attacks += k.length;
      assert.equal(Array.from(epoch.interactions.code).filter((code) => epoch.codes[code] === 'self-train').length, 20, 'every particle self-trains');
      assert.equal(epoch.births.uid.length, 0, 'no respawn');
    }
    assert.ok(attacks > 0 && attacks < 25, `about 10 attacks: ${attacks}`);
    const censuses = events.filter((e): e is RunEventOf<'census'> => e.kind === 'census');
    const at = (step: number) => censuses.find((c) => c.step === step)!.census.fixpoint;
    assert.equal(at(20), 0, 'no fixpoint after 400 steps');
    assert.ok(at(100) > at(60) && at(100) >= 10, `fixpoints grow: ${at(60)} → ${at(100)}`);
  });

  it('a soup run draws its census over time and, with snapshots, its trajectories in PCA space (srnn run)', () => {
    const dir = tempDir('srnn-paper-soups-');
    const soup = (snapshots: string) =>
      [
        'seed: 5',
        'architecture: { type: weightwise }',
        'population: { size: 8 }',
        'experiment:',
        '  type: soup',
        '  epochs: 10',
        snapshots,
        '  interactions: [{ type: attack, rate: 0.1, per: epoch }, { type: self-train, steps: 5 }]',
        '',
      ].join('\n');
    writeFile(dir, 'with.yaml', soup('  snapshotEvery: 2'));
    writeFile(dir, 'without.yaml', soup(''));
    for (const name of ['with', 'without']) {
      const result = runCli(['run', `${name}.yaml`, '--out', name], dir);
      assert.equal(result.status, 0, describeCli(result));
    }
    for (const ext of ['svg', 'png', 'vl.json']) {
      assert.ok(existsSync(join(dir, 'with', `soup-trajectories.${ext}`)), ext);
      assert.equal(existsSync(join(dir, 'without', `soup-trajectories.${ext}`)), false, ext);
      for (const name of ['with', 'without']) assert.ok(existsSync(join(dir, name, `census-over-time.${ext}`)), `${name}: census-over-time.${ext}`);
    }
  });
});
