import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PARTICLE_CLASSES, type RunEvent, type RunEventOf } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { readTable } from '@srnn/analysis';
import { weightwiseModule } from '@srnn/weightwise';
import robustnessModule from './robustness-module';

let srnn: Srnn;
const root = mkdtempSync(join(tmpdir(), 'srnn-robustness-'));
let dirs = 0;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, robustnessModule] });
});
after(() => rmSync(root, { recursive: true, force: true }));

interface TrialRow {
  fixpoint: number;
  fixpoint_uid: number;
  level: number;
  trial: number;
  time_to_vergence: number;
  time_as_fixpoint: number;
  end: string;
  start_class: string;
  rejoined: boolean;
}
interface LevelRow {
  level: number;
  trials: number;
  mean_time_to_vergence: number;
  std_time_to_vergence: number;
  mean_time_as_fixpoint: number;
  std_time_as_fixpoint: number;
  end_zero: number;
  end_divergent: number;
  end_cap: number;
}

async function runInto(yaml: string, tweak?: (experiment: Record<string, unknown>) => void) {
  const loaded = await srnn.loadScenarioText(yaml, join(root, 'robustness.yaml'));
  tweak?.(loaded.scenario.experiment);
  const run = srnn.createRun(loaded);
  const events: RunEvent[] = [];
  run.events$.subscribe((e) => events.push(e));
  const dir = join(root, `run-${dirs++}`);
  await srnn.runIntoDirectory(run, dir);
  return { dir, events, trials: readTable<TrialRow>(dir, 'robustness-trials')!, levels: readTable<LevelRow>(dir, 'robustness-levels')! };
}

const scenario = (experiment: string, extra: string[] = []) => ['seed: 5', 'architecture: { type: weightwise }', 'population: { size: 1 }', `experiment: ${experiment}`, ...extra, ''].join('\n');

describe('robustness experiment', () => {
  it('runs fixpoints × levels × trials, fixpoint-major, then level, then trial, and summarises every level', async () => {
    const { trials, levels, dir } = await runInto(scenario('{ type: robustness, levels: [0.1, 1.0e-6], trials: 7, maxSteps: 30 }'));
    assert.equal(trials.length, 14);
    assert.deepEqual(
      trials.map((r) => [r.level, r.trial]),
      [0.1, 1e-6].flatMap((level) => Array.from({ length: 7 }, (_, t) => [level, t])),
    );
    for (const r of trials) {
      assert.ok(r.time_as_fixpoint <= r.time_to_vergence && r.time_to_vergence <= 30);
      assert.ok(['zero', 'divergent', 'cap'].includes(r.end));
      assert.ok((PARTICLE_CLASSES as readonly string[]).includes(r.start_class));
      assert.equal(r.fixpoint_uid, 0, "the population's particle, set to the hand-made fixpoint");
    }
    assert.deepEqual(
      levels.map((l) => [l.level, l.trials]),
      [
        [0.1, 7],
        [1e-6, 7],
      ],
    );
    for (const l of levels) {
      const members = trials.filter((r) => r.level === l.level);
      assert.equal(l.mean_time_to_vergence, members.reduce((a, r) => a + r.time_to_vergence, 0) / 7);
      assert.equal(l.mean_time_as_fixpoint, members.reduce((a, r) => a + r.time_as_fixpoint, 0) / 7);
      assert.equal(l.end_zero + l.end_divergent + l.end_cap, 7);
    }
    const fixpoints = readTable<Record<string, number | string>>(dir, 'robustness-fixpoints')!;
    assert.deepEqual(
      fixpoints.map((f) => [f.origin, f.w0, f.w8, f.w12, f.w1]),
      [['hand-made', 1, 1, 1, 0]],
    );
    assert.ok(readFileSync(join(dir, 'robustness-trials.csv'), 'utf8').startsWith('fixpoint,fixpoint_uid,level,trial,time_to_vergence,time_as_fixpoint,end,start_class,rejoined\n'));
  });

  it('hand-made sets every particle to the hand-made fixpoint and tests each; the census shows them', async () => {
    const { trials, events, dir } = await runInto(scenario('{ type: robustness, levels: [1.0e-2], trials: 4 }').replace('size: 1', 'size: 3'));
    assert.deepEqual(
      trials.map((r) => r.fixpoint_uid),
      [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
    );
    const censuses = events.filter((e): e is RunEventOf<'census'> => e.kind === 'census');
    assert.deepEqual(
      censuses.map((e) => [e.step, e.census.fixpoint]),
      [[0, 3]],
    );
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.census.fixpoint, 3, 'the trials do not touch the population');
  });

  it('is deterministic per seed, and another seed draws other noise', async () => {
    const yaml = scenario('{ type: robustness, levels: [1.0e-3], trials: 20 }');
    const a = await runInto(yaml);
    const b = await runInto(yaml);
    const c = await runInto(yaml.replace('seed: 5', 'seed: 6'));
    assert.deepEqual(a.trials, b.trials);
    assert.notDeepEqual(
      a.trials.map((r) => r.time_to_vergence),
      c.trials.map((r) => r.time_to_vergence),
    );
  });

  it('reports maxSteps units of work and finishes them even when every trial stops early', async () => {
    const { events } = await runInto(scenario('{ type: robustness, levels: [1], trials: 5, maxSteps: 100 }'));
    const started = events.find((e): e is RunEventOf<'run-started'> => e.kind === 'run-started')!;
    assert.equal(started.info.totalWork, 100);
    const progress = events.filter((e): e is RunEventOf<'progress'> => e.kind === 'progress');
    assert.deepEqual(progress.at(-1), { kind: 'progress', done: 100, total: 100 });
    assert.ok(progress.length < 100, 'noise 1 stops every trial long before 100 steps');
  });

  it('takes the particles classified fixpoint from a weights.json', async () => {
    const handMade = Array.from({ length: 14 }, (_, i) => (i === 0 || i === 8 || i === 12 ? 1 : 0));
    const other = handMade.map((w, i) => (i === 0 ? 0.5 : w));
    const file = join(root, 'weights.json');
    writeFileSync(
      file,
      JSON.stringify({
        particles: [
          { uid: 7, class: 'fixpoint', weights: handMade },
          { uid: 8, class: 'other', weights: other },
          { uid: 9, class: 'fixpoint', weights: handMade },
        ],
      }),
    );
    const { trials, dir } = await runInto(scenario(`{ type: robustness, fixpoints: { file: ${JSON.stringify(file)} }, levels: [1.0e-2, 1.0e-3], trials: 3 }`));
    assert.deepEqual([...new Set(trials.map((r) => r.fixpoint_uid))], [7, 9]);
    assert.equal(trials.length, 2 * 2 * 3);
    const fixpoints = readTable<Record<string, unknown>>(dir, 'robustness-fixpoints')!;
    assert.deepEqual(
      fixpoints.map((f) => [f.fixpoint, f.uid, f.origin]),
      [
        [0, 7, 'file'],
        [1, 9, 'file'],
      ],
    );
  });

  it('a missing fixpoints file fails the run and names the file', async () => {
    await assert.rejects(runInto(scenario('{ type: robustness, fixpoints: { file: /no/such/weights.json } }')), /\/no\/such\/weights\.json: no such file/);
  });

  it('trains the population first and tests the particles that end as fixpoints, with censuses of the training', async () => {
    const { trials, dir, events } = await runInto(
      scenario('{ type: robustness, fixpoints: { train: { steps: 2000, lr: 0.004, momentum: 0.9 } }, levels: [1.0e-4], trials: 2, maxSteps: 20 }').replace('size: 1', 'size: 6'),
    );
    const censuses = events.filter((e): e is RunEventOf<'census'> => e.kind === 'census');
    assert.equal(censuses[0].step, 0);
    assert.equal(censuses.at(-1)!.step, 2000);
    const fixpoints = readTable<Record<string, unknown>>(dir, 'robustness-fixpoints')!;
    assert.equal(fixpoints.length, censuses.at(-1)!.census.fixpoint, 'every trained fixpoint, nothing else');
    assert.ok(fixpoints.length > 0, 'training found fixpoints');
    assert.ok(fixpoints.every((f) => f.origin === 'trained'));
    assert.equal(trials.length, fixpoints.length * 2);
    const started = events.find((e): e is RunEventOf<'run-started'> => e.kind === 'run-started')!;
    assert.equal(started.info.totalWork, 2020);
  });

  it('the hand-made fixpoint needs a weightwise net of width 2 and depth 2 without bias', async () => {
    await assert.rejects(
      runInto(scenario('{ type: robustness }').replace('{ type: weightwise }', '{ type: weightwise, width: 3 }')),
      /hand-made fixpoint is defined for weightwise nets of width 2, depth 2/,
    );
  });

  it('rejects an unknown option and a non-positive level', async () => {
    await assert.rejects(srnn.loadScenarioText(scenario('{ type: robustness, trails: 5 }'), 'bad.yaml'), /unknown key "trails"/);
    await assert.rejects(srnn.loadScenarioText(scenario('{ type: robustness, levels: [0] }'), 'bad.yaml'), /levels/);
  });

  it('draws the box plot per level from robustness-trials.json', async () => {
    const { dir } = await runInto(scenario('{ type: robustness, levels: [1.0e-1, 1.0e-5], trials: 4 }'));
    const spec = JSON.parse(readFileSync(join(dir, 'robustness.vl.json'), 'utf8'));
    assert.deepEqual(spec.encoding.x.sort, ['1e-1', '1e-5']);
    assert.equal(spec.data.values.length, 2 * 2 * 4, 'two measures per trial');
    assert.equal(spec.layer[0].mark.type, 'boxplot');
    assert.deepEqual(readFileSync(join(dir, 'robustness.png')).subarray(1, 4).toString(), 'PNG');
    assert.match(readFileSync(join(dir, 'robustness.svg'), 'utf8'), /time as fixpoint/);
  });
});
