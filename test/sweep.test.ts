import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { Srnn, type SweepEvent } from '@srnn/runner';
import { describeCli, failingPluginFrom, leftoverTemporaries, readJson, runCli, tempDir, writeFile, type CliResult } from './support/helpers';

const CLASSES = ['divergent', 'zero', 'fixpoint', 'second-order', 'other'];
const KEYS = ['experiment.lr', 'architecture.activation'];
const RUN_COLUMNS = ['run', ...KEYS, 'replicate', 'seed', ...CLASSES, ...CLASSES.map((c) => `fraction.${c}`), 'mean_loss', 'elapsedMs'];
const SUMMARY_COLUMNS = [...KEYS, 'n', ...CLASSES.flatMap((c) => [`mean.${c}`, `std.${c}`])];
const SWEEP_FILES = ['runs', 'runs.csv', 'runs.json', 'scenario.resolved.yaml', 'summary.csv', 'summary.json'];
const RUN_FILES = ['census.csv', 'scenario.resolved.yaml', 'summary.json', 'weights.json'];
const P = 5;

/** A 2 × 2 sweep (learning rate × activation) with 2 replicates of a tiny self-training run. */
const SWEEP = [
  'name: tiny-sweep',
  'seed: 3',
  'architecture: { type: weightwise }',
  `population: { size: ${P} }`,
  'experiment: { type: self-train, steps: 30, censusEvery: 10 }',
  'sweep:',
  '  experiment.lr: [0.01, 0.04]',
  '  architecture.activation: [linear, tanh]',
  'replicates: 2',
  '',
].join('\n');

type Row = Record<string, string | number | null>;

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

function csv(path: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
  return { header, rows };
}

/** runs.csv without its timing column, which differs from run to run. */
function runsCsvWithoutTiming(dir: string): string {
  const { header, rows } = csv(join(dir, 'runs.csv'));
  const timing = header.indexOf('elapsedMs');
  return [header, ...rows].map((cells) => cells.filter((_, i) => i !== timing).join(',')).join('\n');
}

/** Every file of a sweep directory whose bytes do not depend on timing. */
function deterministicFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['scenario.resolved.yaml', 'summary.csv', 'summary.json']) files[name] = readFileSync(join(dir, name), 'utf8');
  files['runs.csv (no elapsedMs)'] = runsCsvWithoutTiming(dir);
  for (const run of readdirSync(join(dir, 'runs')).sort()) {
    for (const name of ['weights.json', 'census.csv', 'scenario.resolved.yaml']) files[`runs/${run}/${name}`] = readFileSync(join(dir, 'runs', run, name), 'utf8');
  }
  return files;
}

describe('srnn run on a sweep (end to end)', () => {
  let dir: string;
  let out: string;
  let result: CliResult;

  before(() => {
    dir = tempDir('srnn-sweep-');
    writeFile(dir, 'sweep.yaml', SWEEP);
    out = join(dir, 'results', 'sweep');
    result = runCli(['run', 'sweep.yaml', '--out', 'results/sweep'], dir);
  });

  test('a 2 × 2 sweep with 2 replicates writes the sweep files and one complete results directory per run', () => {
    assertExit(result, 0);
    const entries = readdirSync(out);
    for (const name of SWEEP_FILES) assert.ok(entries.includes(name), `${name} in ${entries.join(', ')}`);
    const runs = readdirSync(join(out, 'runs')).sort();
    assert.equal(runs.length, 8);
    assert.equal(runs[0], '0000-experiment.lr=0.01-architecture.activation=linear-r0');
    assert.equal(runs[7], '0007-experiment.lr=0.04-architecture.activation=tanh-r1');
    for (const run of runs) {
      const files = readdirSync(join(out, 'runs', run));
      for (const name of RUN_FILES) assert.ok(files.includes(name), `${run}/${name}`);
    }
    assert.deepEqual(leftoverTemporaries(join(dir, 'results')), []);
    assert.match(result.stdout, /sweep of 8 runs/);
    assert.match(result.stdout, /experiment\.lr\s+architecture\.activation\s+n\s+divergent/);
    assert.equal(
      result.stdout
        .trimEnd()
        .split('\n')
        .filter((line) => /^\s+0\.0[14]\s+(linear|tanh)\s+2\s/.test(line)).length,
      4,
      result.stdout,
    );
  });

  test('runs.csv and runs.json have one row per run with the documented columns', () => {
    const { header, rows } = csv(join(out, 'runs.csv'));
    assert.deepEqual(header, RUN_COLUMNS);
    assert.equal(rows.length, 8);
    const json = readJson<Row[]>(join(out, 'runs.json'));
    assert.equal(json.length, 8);
    json.forEach((row, i) => {
      assert.deepEqual(Object.keys(row), RUN_COLUMNS);
      assert.equal(row.run, rows[i][0]);
      assert.equal(row.replicate, i % 2);
      assert.equal(row['experiment.lr'], i < 4 ? 0.01 : 0.04);
      assert.equal(row['architecture.activation'], i % 4 < 2 ? 'linear' : 'tanh');
      assert.equal(
        CLASSES.reduce((sum, c) => sum + (row[c] as number), 0),
        P,
      );
      for (const c of CLASSES) assert.equal(row[`fraction.${c}`], (row[c] as number) / P);
      assert.ok(typeof row.mean_loss === 'number' && row.mean_loss > 0);
      assert.ok(typeof row.elapsedMs === 'number');
    });
    assert.equal(new Set(json.map((row) => row.seed)).size, 8, 'every run has its own seed');
  });

  test("each run's directory holds the derived scenario: swept values set, its own seed, no sweep", () => {
    for (const row of readJson<Row[]>(join(out, 'runs.json'))) {
      const resolved = parseYaml(readFileSync(join(out, 'runs', row.run as string, 'scenario.resolved.yaml'), 'utf8'));
      assert.equal(resolved.seed, row.seed);
      assert.equal(resolved.experiment.lr, row['experiment.lr']);
      assert.equal(resolved.architecture.activation, row['architecture.activation']);
      assert.equal(resolved.sweep, undefined);
      assert.equal(resolved.replicates, 1);
      const summary = readJson<{ census: Record<string, number>; seed: number }>(join(out, 'runs', row.run as string, 'summary.json'));
      assert.equal(summary.seed, row.seed);
      for (const c of CLASSES) assert.equal(summary.census[c], row[c]);
      const last = csv(join(out, 'runs', row.run as string, 'census.csv')).rows.pop()!;
      assert.equal(Number(last[6]), row.mean_loss, 'mean_loss is the last census row');
    }
  });

  test('the sweep scenario.resolved.yaml is the base scenario with its sweep and replicates', () => {
    const resolved = parseYaml(readFileSync(join(out, 'scenario.resolved.yaml'), 'utf8'));
    assert.equal(resolved.seed, 3);
    assert.deepEqual(resolved.sweep, { 'experiment.lr': [0.01, 0.04], 'architecture.activation': ['linear', 'tanh'] });
    assert.equal(resolved.replicates, 2);
    assert.deepEqual(resolved.experiment, { type: 'self-train', steps: 30, lr: 0.04, momentum: 0, batch: 'full', censusEvery: 10 });
    // no backend named: each run on its network's default (linear: wasm-f32, tanh: js), and the sweep names every engine that ran
    assert.equal(resolved.backend, undefined);
    assert.equal(resolved.srnn?.backend, 'WebAssembly SIMD f32x4 (float32 arithmetic); js');
  });

  test('summary.csv and summary.json have one row per combination; the means and stds are those of the runs', () => {
    const { header, rows } = csv(join(out, 'summary.csv'));
    assert.deepEqual(header, SUMMARY_COLUMNS);
    assert.equal(rows.length, 4);
    const summary = readJson<Row[]>(join(out, 'summary.json'));
    const runs = readJson<Row[]>(join(out, 'runs.json'));
    assert.equal(summary.length, 4);
    summary.forEach((row, i) => {
      assert.deepEqual(Object.keys(row), SUMMARY_COLUMNS);
      assert.equal(row.n, 2);
      const mine = runs.filter((run) => KEYS.every((key) => run[key] === row[key]));
      assert.equal(mine.length, 2);
      for (const c of CLASSES) {
        const values = mine.map((run) => run[`fraction.${c}`] as number);
        const mean = (values[0] + values[1]) / 2;
        assert.ok(Math.abs((row[`mean.${c}`] as number) - mean) < 1e-12, `${c} mean`);
        assert.ok(Math.abs((row[`std.${c}`] as number) - Math.abs(values[0] - values[1]) / Math.SQRT2) < 1e-12, `${c} std`);
        assert.equal(Number(rows[i][SUMMARY_COLUMNS.indexOf(`mean.${c}`)]), row[`mean.${c}`]);
      }
    });
  });

  test('running the sweep twice gives byte-identical results (but for timings)', () => {
    assertExit(runCli(['run', 'sweep.yaml', '--out', 'results/again'], dir), 0);
    assert.deepEqual(deterministicFiles(join(dir, 'results', 'again')), deterministicFiles(out));
  });

  test("rerunning one run's scenario.resolved.yaml reproduces that run", () => {
    const run = '0005-experiment.lr=0.04-architecture.activation=linear-r1';
    assertExit(runCli(['run', join('results', 'sweep', 'runs', run, 'scenario.resolved.yaml'), '--out', 'results/one'], dir), 0);
    assert.equal(readFileSync(join(dir, 'results', 'one', 'weights.json'), 'utf8'), readFileSync(join(out, 'runs', run, 'weights.json'), 'utf8'));
  });

  test('--seed replaces the base seed, so every run gets another seed', () => {
    assertExit(runCli(['run', 'sweep.yaml', '--out', 'results/seed9', '--seed', '9'], dir), 0);
    const seeds = (d: string) => readJson<Row[]>(join(d, 'runs.json')).map((row) => row.seed);
    const other = seeds(join(dir, 'results', 'seed9'));
    assert.equal(parseYaml(readFileSync(join(dir, 'results', 'seed9', 'scenario.resolved.yaml'), 'utf8')).seed, 9);
    seeds(out).forEach((seed, i) => assert.notEqual(other[i], seed));
  });
});

describe('sweep failures leave nothing behind', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-sweep-fail-');
  });

  test('a sweep whose third run fails exits 1 and leaves no results directory and no temporary one', () => {
    writeFile(
      dir,
      'fails.yaml',
      [
        'seed: 1',
        `plugins: [${failingPluginFrom(dir)}]`,
        'architecture: { type: weightwise }',
        'population: { size: 3 }',
        'experiment: { type: fail-midway, fail: false }',
        'sweep: { experiment.fail: [false, true] }',
        'replicates: 2',
        '',
      ].join('\n'),
    );
    // one worker: runs in plan order, so exactly the two runs before the failing one finish
    const result = runCli(['run', 'fails.yaml', '--out', 'results/fails', '--workers', '1', '--allow-plugins'], dir);
    assertExit(result, 1);
    assert.match(result.stderr, /fail-midway: deliberate failure/);
    assert.match(result.stderr, /2\/4 runs/, 'two runs finished before the failure');
    assert.deepEqual(readdirSync(join(dir, 'results')), []);
  });

  test('an invalid combination exits 2, located at its sweep entry, before anything runs', () => {
    writeFile(dir, 'bad.yaml', ['architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 2 }', 'sweep:', '  experiment.lr: [0.1, 0]', ''].join('\n'));
    const result = runCli(['run', 'bad.yaml', '--out', 'results/bad'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /bad\.yaml:5:24: sweep combination experiment\.lr=0: experiment\.lr: /);
    assert.equal(existsSync(join(dir, 'results', 'bad')), false);
    assert.doesNotMatch(result.stderr, /runs \(/, 'no run started');
  });
});

describe('sweeps from code', () => {
  let srnn: Srnn;

  before(async () => {
    srnn = await Srnn.create();
  });

  test('runSweepIntoDirectory runs the mixed experiment over trainsPerApplication, reporting every run', async () => {
    const loaded = await srnn.loadScenarioText(
      [
        'seed: 2',
        'architecture: { type: weightwise }',
        'population: { size: 4 }',
        'experiment: { type: mixed, rounds: 2, trainsPerApplication: 0 }',
        'sweep: { experiment.trainsPerApplication: [0, 5, 10] }',
        '',
      ].join('\n'),
      'mixed-sweep.yaml',
    );
    const sweep = srnn.createSweep(loaded);
    const events: SweepEvent[] = [];
    sweep.events$.subscribe((event) => events.push(event));
    const out = join(tempDir('srnn-sweep-api-'), 'out');
    const result = await srnn.runSweepIntoDirectory(sweep, out);
    assert.deepEqual(
      result.rows.map((row) => row.values['experiment.trainsPerApplication']),
      [0, 5, 10],
    );
    assert.deepEqual(
      result.summary.map((row) => row.n),
      [1, 1, 1],
    );
    const kinds = events.filter((e) => e.kind !== 'sweep-progress').map((e) => e.kind);
    assert.deepEqual(kinds, ['sweep-started', ...Array(3).fill(['sweep-run-started', 'sweep-run-finished']).flat(), 'sweep-finished']);
    assert.deepEqual(
      events.filter((e) => e.kind === 'sweep-run-finished').map((e) => (e as { done: number }).done),
      [1, 2, 3],
    );
    assert.ok(
      events.some((e) => e.kind === 'sweep-progress'),
      'progress inside runs is forwarded',
    );
    assert.equal(readJson<Row[]>(join(out, 'runs.json')).length, 3);
    // without a sweep and with one replicate, the same machinery runs the scenario itself, seed unchanged
    const single = await srnn.runSweepIntoDirectory(
      await srnn.loadScenarioText('seed: 2\narchitecture: { type: weightwise }\npopulation: { size: 4 }\nexperiment: { type: density }\n'),
      join(out, '..', 'single'),
    );
    assert.deepEqual(
      single.rows.map((row) => [row.run, row.seed]),
      [['0000-r0', 2]],
    );
  });

  test('replicates without a sweep repeat the scenario with distinct seeds; a cancelled sweep rejects and leaves nothing', async () => {
    const loaded = await srnn.loadScenarioText('seed: 1\narchitecture: { type: weightwise }\npopulation: { size: 3 }\nexperiment: { type: self-train, steps: 2000 }\nreplicates: 3\n');
    const plan = srnn.createSweep(loaded).plan;
    assert.deepEqual(
      plan.runs.map((r) => r.id),
      ['0000-r0', '0001-r1', '0002-r2'],
    );
    assert.equal(new Set(plan.runs.map((r) => r.seed)).size, 3);

    const sweep = srnn.createSweep(loaded);
    sweep.events$.subscribe((event) => {
      if (event.kind === 'sweep-progress' && event.done === 1) sweep.cancel('stop the sweep');
    });
    const parent = tempDir('srnn-sweep-cancel-');
    await assert.rejects(srnn.runSweepIntoDirectory(sweep, join(parent, 'out')), /stop the sweep/);
    assert.deepEqual(readdirSync(parent), []);
  });
});
