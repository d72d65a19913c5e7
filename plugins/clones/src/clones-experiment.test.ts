import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { readTable, readTrajectories } from '@srnn/analysis';
import { trajectoriesModule } from '@srnn/trajectories';
import { weightwiseModule } from '@srnn/weightwise';
import clonesModule from './clones-module';

let srnn: Srnn;
const root = mkdtempSync(join(tmpdir(), 'srnn-clones-'));
let dirs = 0;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, trajectoriesModule, clonesModule] });
});
after(() => rmSync(root, { recursive: true, force: true }));

interface CloneRow {
  clone: number;
  parent_uid: number;
  level: number;
  clone_level: number;
  mae_before: number;
  mae_after: number;
  mse_before: number;
  mse_after: number;
  mim_before: number;
  mim_after: number;
  movement_mae: string;
  movement_mim: string;
  movement: string;
  start_class: string;
  class: string;
  loss_before: number;
  loss_after: number;
}

async function runInto(yaml: string) {
  const loaded = await srnn.loadScenarioText(yaml, join(root, 'clones.yaml'));
  const run = srnn.createRun(loaded);
  const events: RunEvent[] = [];
  run.events$.subscribe((e) => events.push(e));
  const dir = join(root, `run-${dirs++}`);
  const result = await srnn.runIntoDirectory(run, dir);
  return {
    dir,
    events,
    result,
    clones: readTable<CloneRow>(dir, 'clones')!,
    parents: readTable<Record<string, unknown>>(dir, 'clones-parents')!,
    levels: readTable<Record<string, unknown>>(dir, 'clones-levels')!,
  };
}

const HAND_MADE = Array.from({ length: 14 }, (_, i) => (i === 0 || i === 8 || i === 12 ? 1 : 0));
const scenario = (population: string, experiment: string) => ['seed: 3', 'architecture: { type: weightwise }', `population: ${population}`, `experiment: ${experiment}`, ''].join('\n');
const TRAINED = scenario('{ size: 4 }', '{ type: clones, parentSteps: 2500, steps: 300, clones: 3, levels: [1.0e-2, 1.0e-9], snapshotEvery: 100 }');

describe('clones experiment', () => {
  it('a clone identical to its parent is stationary: noise below float32 range on an exact fixpoint', async () => {
    const { clones, levels } = await runInto(
      scenario(`{ size: 2, init: { weights: [${JSON.stringify(HAND_MADE)}, ${JSON.stringify(HAND_MADE)}] } }`, '{ type: clones, parentSteps: 0, steps: 20, clones: 2, levels: [1.0e-50] }'),
    );
    assert.equal(clones.length, 2 * 1 * 2);
    for (const c of clones) {
      assert.equal(c.mae_before, 0);
      assert.equal(c.mae_after, 0);
      assert.equal(c.mim_after, 0);
      assert.equal(c.movement, 'stationary');
      assert.equal(c.class, 'fixpoint');
      assert.equal(c.loss_after, 0);
    }
    assert.deepEqual([levels[0].approaching, levels[0].distancing, levels[0].stationary], [0, 0, 4]);
  });

  it('spawns clones × levels for every fixpoint parent, parent-major, each within its own level of the parent', async () => {
    const { clones, parents, levels, result } = await runInto(TRAINED);
    const fixpointParents = parents.filter((p) => p.spawn_class === 'fixpoint').map((p) => p.parent_uid);
    assert.ok(fixpointParents.length > 0, 'some parents are fixpoints after 2 500 steps');
    assert.equal(clones.length, fixpointParents.length * 2 * 3);
    assert.deepEqual(
      clones.map((c) => c.parent_uid),
      fixpointParents.flatMap((uid) => Array(6).fill(uid)),
    );
    assert.deepEqual(
      clones.map((c) => c.level),
      fixpointParents.flatMap(() => [1e-2, 1e-2, 1e-2, 1e-9, 1e-9, 1e-9]),
    );
    assert.deepEqual(
      clones.map((c) => c.clone),
      clones.map((_, k) => 4 + k),
      'ids after the population uids',
    );
    for (const c of clones) {
      assert.ok(c.clone_level >= 0 && c.clone_level < c.level);
      assert.ok(c.mae_before <= c.clone_level * 1.0001 + 1e-7, 'no weight moves by more than the clone level');
      assert.equal(c.movement, c.movement_mae, "MAE decides by default (the authors' figure)");
      for (const [d, m] of [
        ['mae', c.movement_mae],
        ['mim', c.movement_mim],
      ] as const) {
        const b = c[`${d}_before`];
        const a = c[`${d}_after`];
        assert.equal(m, a < b ? 'approaching' : a > b ? 'distancing' : 'stationary');
      }
    }
    for (const l of levels) {
      assert.equal(l.clones, fixpointParents.length * 3);
      assert.equal((l.approaching as number) + (l.distancing as number) + (l.stationary as number), l.clones);
    }
    assert.equal(parents.length, 4);
    assert.equal(result.population.uids.length, 4, 'the population is the parents');
  });

  it('parents: per-level — parent i serves level i mod L only (fresh parents per level, as the authors sampled)', async () => {
    const { clones, parents, levels } = await runInto(scenario('{ size: 6 }', '{ type: clones, parentSteps: 2500, steps: 100, clones: 3, levels: [1.0e-2, 1.0e-9], parents: per-level }'));
    const fixpoints = parents.filter((p) => p.spawn_class === 'fixpoint');
    assert.ok(fixpoints.length >= 2, 'most parents are fixpoints after 2 500 steps');
    assert.deepEqual(
      parents.map((p) => p.level),
      [1e-2, 1e-9, 1e-2, 1e-9, 1e-2, 1e-9],
      'parent uid i serves level i mod 2',
    );
    assert.deepEqual(
      parents.map((p) => p.clones),
      parents.map((p) => (p.spawn_class === 'fixpoint' ? 3 : 0)),
    );
    assert.deepEqual(
      clones.map((c) => c.parent_uid),
      fixpoints.flatMap((p) => Array(3).fill(p.parent_uid)),
      'parent-major',
    );
    for (const c of clones) assert.equal(c.level, parents[c.parent_uid].level, 'a clone is at its parent’s level');
    for (const l of levels) {
      const serving = fixpoints.filter((p) => p.level === l.level);
      assert.deepEqual([l.parents, l.clones], [serving.length, 3 * serving.length]);
    }
  });

  it('trains for parentSteps + steps with censuses of the parents, and is deterministic per seed', async () => {
    const a = await runInto(TRAINED);
    const b = await runInto(TRAINED);
    assert.deepEqual(a.clones, b.clones);
    const started = a.events.find((e): e is RunEventOf<'run-started'> => e.kind === 'run-started')!;
    assert.equal(started.info.totalWork, 2800);
    const censuses = a.events.filter((e): e is RunEventOf<'census'> => e.kind === 'census');
    assert.equal(censuses[0].step, 0);
    assert.equal(censuses.at(-1)!.step, 2800);
    const c = await runInto(TRAINED.replace('seed: 3', 'seed: 4'));
    assert.notDeepEqual(
      a.clones.map((r) => r.clone_level),
      c.clones.map((r) => r.clone_level),
    );
  });

  it('records trajectories: parents from step 0, clones from the spawn, every snapshotEvery steps and at the end', async () => {
    const { dir, clones } = await runInto(TRAINED);
    const set = readTrajectories(dir)!;
    const parents = set.trajectories.filter((t) => t.role === 'parent');
    const spawned = set.trajectories.filter((t) => t.role === 'clone');
    assert.equal(parents.length, 4);
    assert.equal(spawned.length, clones.length);
    assert.deepEqual(
      parents[0].steps,
      Array.from({ length: 29 }, (_, k) => k * 100),
    );
    assert.deepEqual(spawned[0].steps, [2500, 2600, 2700, 2800]);
    assert.deepEqual(
      spawned.map((t) => t.group),
      clones.map((c) => c.level),
    );
    assert.deepEqual(
      spawned.map((t) => t.class),
      clones.map((c) => c.class),
    );
    for (const name of ['clones-movement', 'clones-distances', 'clones-loss', 'trajectories']) {
      assert.ok(existsSync(join(dir, `${name}.png`)) && existsSync(join(dir, `${name}.svg`)), name);
    }
    assert.ok(existsSync(join(dir, 'trajectories.html')));
  });

  it('fixed perturbation moves every weight by exactly the clone level', async () => {
    const { clones } = await runInto(
      scenario(`{ size: 1, init: { weights: [${JSON.stringify(HAND_MADE)}] } }`, '{ type: clones, parentSteps: 0, steps: 0, clones: 4, levels: [0.25], perturbation: fixed }'),
    );
    for (const c of clones) {
      assert.ok(Math.abs(c.mae_before - c.clone_level) <= 1e-7 * c.clone_level + 1e-8, `${c.mae_before} vs ${c.clone_level}`);
      assert.equal(c.mae_after, c.mae_before, 'no training');
      assert.equal(c.movement, 'stationary');
    }
  });

  it("a sweep of replicates draws the movement counts of every replicate (mean, ± 1 std, dots), pooled box plots and the first replicate's trajectories", async () => {
    const yaml = TRAINED.replace('steps: 300,', 'steps: 100,') + 'replicates: 2\n';
    const dir = join(root, `sweep-${dirs++}`);
    await srnn.runSweepIntoDirectory(srnn.createSweep(await srnn.loadScenarioText(yaml, join(root, 'clones.yaml'))), dir);
    const spec = JSON.parse(readFileSync(join(dir, 'clones-movement.vl.json'), 'utf8'));
    assert.deepEqual(
      spec.layer.map((l: { mark: { type: string } }) => l.mark.type),
      ['bar', 'rule', 'point'],
    );
    const dots = spec.layer[2].data.values as { run: string; level: string; movement: string; clones: number }[];
    assert.deepEqual([...new Set(dots.map((d) => d.run))].sort(), readdirSync(join(dir, 'runs')).sort());
    assert.equal(dots.length, 2 * 2 * 3, 'replicates × levels × movements');
    const bars = spec.layer[0].data.values as { level: string; movement: string; mean: number }[];
    for (const bar of bars) {
      const counts = dots.filter((d) => d.level === bar.level && d.movement === bar.movement).map((d) => d.clones);
      assert.equal(bar.mean, (counts[0] + counts[1]) / 2);
    }
    assert.match(spec.title.subtitle.join(' '), /2 replicates \(seeds\)/);
    const distances = JSON.parse(readFileSync(join(dir, 'clones-distances.vl.json'), 'utf8'));
    const clones = readdirSync(join(dir, 'runs')).flatMap((run) => readTable<CloneRow>(join(dir, 'runs', run), 'clones')!);
    const positive = clones.flatMap((c) => [c.mae_before, c.mae_after]).filter((d) => d > 0).length;
    assert.equal(distances.data.values.length, positive, 'every clone of both replicates, before and after (MAE decides; zeros are off the log scale)');
    assert.ok(clones.length > readTable<CloneRow>(join(dir, 'runs', '0000-r0'), 'clones')!.length);
    const trajectories = JSON.parse(readFileSync(join(dir, 'trajectories.vl.json'), 'utf8'));
    assert.match(trajectories.title.subtitle, /run 0000-r0 \(the first of 2 replicates\)/);

    const varied = join(root, `sweep-${dirs++}`);
    await srnn.runSweepIntoDirectory(srnn.createSweep(await srnn.loadScenarioText(yaml + 'sweep: { experiment.lr: [0.04, 0.03] }\n', join(root, 'clones.yaml'))), varied);
    for (const name of ['clones-movement', 'clones-distances', 'trajectories']) assert.ok(!existsSync(join(varied, `${name}.vl.json`)), `${name}: runs that differ are not pooled`);
  });

  it('without fixpoint parents there are no clones, and the run still writes its tables', async () => {
    const { clones, parents, levels, dir } = await runInto(scenario('{ size: 3 }', '{ type: clones, parentSteps: 5, steps: 5, levels: [1.0e-3] }'));
    assert.equal(clones.length, 0);
    assert.equal(parents.length, 3);
    assert.deepEqual([levels[0].clones, levels[0].approaching], [0, 0]);
    assert.ok(!existsSync(join(dir, 'clones-movement.png')), 'no figure without clones');
    assert.ok(existsSync(join(dir, 'trajectories.html')), 'the parents still have trajectories');
  });
});
