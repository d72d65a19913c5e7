import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunEvent, type RunEventOf, type RunResult, pluginOptions } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { HAND_MADE_ONES, readTable, type ResultsTable, type TableEvent } from '@srnn/analysis';
import { interactionsModule } from '@srnn/interactions';
import { weightwiseModule } from '@srnn/weightwise';
import { SoupClonesFigure } from './soup-clones-figure';
import soupModule from './soup-module';

let srnn: Srnn;
const root = mkdtempSync(join(tmpdir(), 'srnn-soup-clones-'));
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, interactionsModule, soupModule] });
});
after(() => rmSync(root, { recursive: true, force: true }));

const W = 14;

function scenario(options: { size: number; clones: string; interactions: string; epochs?: number; seed?: number; respawn?: string }): string {
  return [
    `seed: ${options.seed ?? 11}`,
    'architecture: { type: weightwise }',
    `population: { size: ${options.size} }`,
    'experiment:',
    '  type: soup',
    `  epochs: ${options.epochs ?? 4}`,
    `  clones: ${options.clones}`,
    `  interactions: ${options.interactions}`,
    ...(options.respawn ? [`  respawn: ${options.respawn}`] : []),
    '',
  ].join('\n');
}

interface Recorded {
  readonly result: RunResult;
  readonly events: RunEvent[];
  readonly tables: Map<string, ResultsTable>;
}

async function run(yaml: string): Promise<Recorded> {
  const created = srnn.createRun(await srnn.loadScenarioText(yaml, 'soup.yaml'));
  const events: RunEvent[] = [];
  created.events$.subscribe((e) => events.push(e));
  const result = await created.execute();
  const tables = new Map(events.filter((e): e is TableEvent => e.kind === 'analysis-table').map((e) => [e.table.name, e.table]));
  return { result, events, tables };
}

/** Rows of a table as objects keyed by column. */
function rows(table: ResultsTable | undefined): Record<string, unknown>[] {
  assert.ok(table, 'the table was emitted');
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]])));
}

const handMade = () => Array.from({ length: W }, (_, i) => ((HAND_MADE_ONES as readonly number[]).includes(i) ? 1 : 0));

describe('a soup with clones', () => {
  it('of the hand-made fixpoint at noise 0, self-training only: every clone is an exact copy and stays at distance 0', async () => {
    const { result, tables, events } = await run(scenario({ size: 6, clones: '{ parents: hand-made, take: 2, count: 3, levels: [0] }', interactions: '[{ type: self-train, steps: 5 }]' }));
    const clones = rows(tables.get('soup-clones'));
    assert.equal(clones.length, 2 * 1 * 3, 'parents × levels × count rows');
    for (const c of clones) {
      for (const d of ['mae', 'mse', 'mim']) assert.deepEqual([c[`${d}_before`], c[`${d}_after`]], [0, 0], d);
      assert.equal(c.movement, 'stationary');
      assert.deepEqual([c.start_class, c.class, c.alive, c.parent_uid, c.parent_origin], ['fixpoint', 'fixpoint', true, -1, 'hand-made']);
    }
    for (let slot = 0; slot < 6; slot++) assert.deepEqual(Array.from(result.population.weights.subarray(slot * W, (slot + 1) * W)), handMade());
    const levels = rows(tables.get('soup-clones-levels'));
    assert.deepEqual(levels, [
      {
        level: 0,
        clones: 6,
        approaching: 0,
        distancing: 0,
        stationary: 6,
        mean_mim_before: 0,
        mean_mim_after: 0,
        class_divergent: 0,
        class_zero: 0,
        class_fixpoint: 6,
        'class_second-order': 0,
        class_other: 0,
        alive: 6,
      },
    ]);
    const census = events.find((e): e is RunEventOf<'census'> => e.kind === 'census')!;
    assert.equal(census.step, 0, 'the first census is the soup at epoch 0, after the spawn');
    assert.equal(census.census.fixpoint, 6);
  });

  it('puts the clones in slots 0 … N − 1, parent-major, then level, then clone, as new particles; further slots keep their initial particles', async () => {
    const yaml = scenario({ size: 7, epochs: 0, clones: '{ parents: hand-made, take: 1, count: 2, levels: [1.0e-2, 1.0e-4] }', interactions: '[]' });
    const { result, tables } = await run(yaml);
    const clones = rows(tables.get('soup-clones'));
    assert.deepEqual(
      clones.map((c) => [c.parent, c.level]),
      [
        [0, 1e-2],
        [0, 1e-2],
        [0, 1e-4],
        [0, 1e-4],
      ],
    );
    assert.deepEqual(
      Array.from(result.population.uids.subarray(0, 4)),
      clones.map((c) => c.clone),
    );
    assert.ok(
      clones.every((c) => (c.clone as number) >= 7),
      'clones get uids after the initial particles',
    );
    assert.deepEqual(Array.from(result.population.uids.subarray(4)), [4, 5, 6]);
    const plain = await run(scenario({ size: 7, epochs: 0, clones: '{ parents: hand-made, take: 1, count: 1, levels: [0] }', interactions: '[]' }).replace(/ {2}clones: .*\n/, ''));
    assert.deepEqual(result.population.weights.subarray(4 * W), plain.result.population.weights.subarray(4 * W), 'the initial particles of population.init');
    for (const c of clones) {
      assert.ok((c.clone_level as number) <= (c.level as number), "a clone's own level is U(0,1)·noise");
      assert.ok((c.mae_before as number) > 0 && (c.mae_before as number) <= (c.clone_level as number));
    }
  });

  it('takes trained parents from a copy of the population: clones descend from those particles', async () => {
    const yaml = scenario({
      size: 6,
      epochs: 2,
      clones: '{ parents: { train: { steps: 3000, lr: 0.004, momentum: 0.9 } }, take: 2, count: 1, levels: [1.0e-3] }',
      interactions: '[{ type: self-train, steps: 10 }]',
    });
    const { result, tables, events } = await run(yaml);
    const clones = rows(tables.get('soup-clones'));
    assert.equal(clones.length, 2);
    assert.deepEqual(
      clones.map((c) => c.parent_origin),
      ['trained', 'trained'],
    );
    const parentUids = clones.map((c) => c.parent_uid as number);
    assert.ok(parentUids.every((uid) => uid >= 0 && uid < 6) && parentUids[0] !== parentUids[1]);
    assert.deepEqual(Array.from(result.population.parentUids.subarray(0, 2)), parentUids, "a clone's parent is the particle its parent was trained from");
    const progress = events.filter((e): e is RunEventOf<'progress'> => e.kind === 'progress');
    assert.deepEqual(progress.at(-1), { kind: 'progress', done: 3002, total: 3002 }, 'training steps, then epochs');
    assert.deepEqual(
      events.filter((e) => e.kind === 'census').map((e) => (e as RunEventOf<'census'>).step),
      [0, 1, 2],
      'no census of the parent phase',
    );
  });

  it('follows a clone that leaves the soup: its weights then count, with the epoch and cause', async () => {
    // melt per epoch at rate 1 replaces one of the two (identical) clones each epoch
    const { tables } = await run(scenario({ size: 2, epochs: 1, clones: '{ parents: hand-made, count: 2, levels: [0] }', interactions: '[{ type: melt, rate: 1, per: epoch }]' }));
    const clones = rows(tables.get('soup-clones'));
    const dead = clones.filter((c) => c.alive === false);
    assert.equal(dead.length, 1);
    assert.deepEqual([dead[0].death_epoch, dead[0].death_cause, dead[0].mim_after, dead[0].movement, dead[0].class], [1, 'melt', 0, 'stationary', 'fixpoint']);
    assert.deepEqual(rows(tables.get('soup-clones-levels'))[0].alive, 1);
  });

  it('needs population.size ≥ parents × levels × count (an error when the scenario loads, as srnn validate)', async () => {
    const text = scenario({ size: 5, clones: '{ parents: hand-made, take: 2, count: 3, levels: [0] }', interactions: '[]' });
    await assert.rejects(srnn.loadScenarioText(text, 'soup.yaml'), /^ScenarioError: soup\.yaml:\d+:\d+: population\.size: .*population\.size ≥ 6 \(2 parents × 1 levels × 3 clones\); it is 5/);
  });

  it('fails when the source has fewer fixpoints than `take`', async () => {
    const created = srnn.createRun(await srnn.loadScenarioText(scenario({ size: 4, clones: '{ parents: population, take: 1, count: 1, levels: [0] }', interactions: '[]' }), 'soup.yaml'));
    await assert.rejects(created.execute(), /the parent source gave 0 fixpoints, take: 1 needs 1/);
  });

  it('rejects negative noise levels and unknown keys', async () => {
    await assert.rejects(srnn.loadScenarioText(scenario({ size: 4, clones: '{ parents: hand-made, levels: [-1] }', interactions: '[]' }), 'soup.yaml'));
    await assert.rejects(srnn.loadScenarioText(scenario({ size: 4, clones: '{ parents: hand-made, clones: 3 }', interactions: '[]' }), 'soup.yaml'));
  });

  it('writes soup-clones.csv/json and soup-clones-levels.csv/json into the results directory, and the movement figure counts per level', async () => {
    const dir = join(root, 'tables');
    const loaded = await srnn.loadScenarioText(scenario({ size: 4, clones: '{ parents: hand-made, count: 2, levels: [1.0e-2, 0] }', interactions: '[{ type: self-train, steps: 2 }]' }), 'soup.yaml');
    await srnn.runIntoDirectory(srnn.createRun(loaded), dir);
    const table = readTable<Record<string, unknown>>(dir, 'soup-clones')!;
    assert.equal(table.length, 4);
    assert.equal(readFileSync(join(dir, 'soup-clones.csv'), 'utf8').trimEnd().split('\n').length, 1 + 4);
    assert.equal(readTable(dir, 'soup-clones-levels')!.length, 2);
    const spec = JSON.parse(readFileSync(join(dir, 'soup-clones.vl.json'), 'utf8'));
    const count = (level: string, movement: string) => spec.data.values.find((v: { level: string; movement: string }) => v.level === level && v.movement === movement).clones;
    assert.equal(count('0', 'stationary'), 2, 'exact copies of the exact fixpoint stay');
    assert.equal(count('1e-2', 'approaching') + count('1e-2', 'distancing') + count('1e-2', 'stationary'), 2);
    assert.deepEqual(await new SoupClonesFigure().render(join(root), loaded.scenario, pluginOptions(new SoupClonesFigure(), {})), [], 'no figure without the table');
  });
});
