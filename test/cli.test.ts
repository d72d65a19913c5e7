import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, describeCli, failingPluginFrom, leftoverTemporaries, readJson, runCli, smallScenario, tempDir, writeFile, type CliResult, type WeightsJson } from './support/helpers';

const CLASSES = ['divergent', 'zero', 'fixpoint', 'second-order', 'other'];
const CENSUS_HEADER = 'step,divergent,zero,fixpoint,second-order,other,mean_loss';
const P = 6;

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

describe('srnn run (end to end)', () => {
  let dir: string;
  let out: string;
  let result: CliResult;

  before(() => {
    dir = tempDir('srnn-cli-run-');
    writeFile(dir, 'small.yaml', smallScenario({ seed: 5, size: P, steps: 12 }));
    out = join(dir, 'results', 'small');
    result = runCli(['run', 'small.yaml', '--out', 'results/small', '--events'], dir);
  });

  test('run exits 0 and writes scenario.resolved.yaml, summary.json, census.csv, weights.json (and events.jsonl with --events)', () => {
    assertExit(result, 0);
    assert.deepEqual(readdirSync(out).sort(), [
      '.srnn-results',
      'census-over-time.png',
      'census-over-time.svg',
      'census-over-time.vl.json',
      'census.csv',
      'events.jsonl',
      'loss.png',
      'loss.svg',
      'loss.vl.json',
      'scenario.resolved.yaml',
      'summary.json',
      'weights.json',
    ]);
    assert.deepEqual(leftoverTemporaries(join(dir, 'results')), []);
  });

  test('weights.json lists every particle in population order with uid, parent, birth, class and 14 weights', () => {
    const weights = readJson<WeightsJson>(join(out, 'weights.json'));
    assert.deepEqual(Object.keys(weights), ['particles']);
    assert.equal(weights.particles.length, P);
    weights.particles.forEach((particle, i) => {
      assert.deepEqual(Object.keys(particle), ['uid', 'parent', 'birth', 'class', 'weights']);
      assert.equal(particle.uid, i, 'population order: self-training keeps uids 0…P-1 in their slots');
      assert.deepEqual([particle.parent, particle.birth], [-1, 0], 'particles created from nothing at step 0');
      assert.ok(CLASSES.includes(particle.class), `class ${particle.class}`);
      assert.equal(particle.weights.length, 14);
      for (const w of particle.weights) assert.ok(typeof w === 'number' && Number.isFinite(w), `weight ${w}`);
    });
    // different particles got different random weights
    assert.notDeepEqual(weights.particles[0].weights, weights.particles[1].weights);
  });

  test('census.csv has the documented header and one row per census whose counts sum to the population size', () => {
    const lines = readFileSync(join(out, 'census.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], CENSUS_HEADER);
    const rows = lines.slice(1).map((line) => line.split(','));
    assert.ok(rows.length >= 2, 'a census at step 0 and at the end');
    assert.equal(rows[0][0], '0');
    assert.equal(rows[rows.length - 1][0], '12');
    let previous = -1;
    for (const row of rows) {
      assert.equal(row.length, 7, row.join(','));
      const step = Number(row[0]);
      assert.ok(step > previous, 'steps increase');
      previous = step;
      assert.equal(sum(row.slice(1, 6).map(Number)), P);
    }
    // self-training reports a mean loss after step 0
    assert.ok(Number.isFinite(Number(rows[rows.length - 1][6])) && rows[rows.length - 1][6] !== '');
  });

  test('summary.json census sums to the population size and agrees with weights.json and the last census.csv row', () => {
    const summary = readJson<{ census: Record<string, number>; populationSize: number; seed: number; weightCount: number; architecture: string; experiment: string; backend: string }>(
      join(out, 'summary.json'),
    );
    assert.equal(summary.populationSize, P);
    assert.deepEqual(Object.keys(summary.census).sort(), [...CLASSES].sort());
    assert.equal(sum(Object.values(summary.census)), P);
    assert.equal(summary.seed, 5);
    assert.equal(summary.weightCount, 14);
    assert.equal(summary.architecture, 'weightwise');
    assert.equal(summary.experiment, 'self-train');
    assert.equal(summary.backend, 'WebAssembly SIMD f32x4 (float32 arithmetic)', 'the default engine of a small linear weightwise net');

    const weights = readJson<WeightsJson>(join(out, 'weights.json'));
    for (const c of CLASSES) assert.equal(summary.census[c], weights.particles.filter((p) => p.class === c).length, c);

    const last = readFileSync(join(out, 'census.csv'), 'utf8').trimEnd().split('\n').pop()!.split(',');
    assert.deepEqual(
      last.slice(1, 6).map(Number),
      CLASSES.map((c) => summary.census[c]),
    );
  });

  test('scenario.resolved.yaml has every default filled in', () => {
    const resolved = parseYaml(readFileSync(join(out, 'scenario.resolved.yaml'), 'utf8'));
    assert.equal(resolved.seed, 5);
    assert.equal(resolved.backend, 'wasm-f32', 'the default backend of this network, decided and recorded');
    assert.deepEqual(resolved.plugins, []);
    assert.deepEqual(resolved.architecture, { type: 'weightwise', width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });
    assert.deepEqual(resolved.population, { size: P, init: 'default' });
    assert.deepEqual(resolved.experiment, { type: 'self-train', steps: 12, lr: 0.04, momentum: 0, batch: 'full' });
    assert.deepEqual(resolved.classify, { epsilon: 1e-5, strict: false });
    assert.deepEqual(resolved.output, { events: true }, '--events is recorded');
    assert.equal(typeof resolved.srnn?.version, 'string');
    assert.equal(resolved.srnn?.backend, 'WebAssembly SIMD f32x4 (float32 arithmetic)');
  });

  test('re-running scenario.resolved.yaml gives a byte-identical weights.json', () => {
    const again = runCli(['run', 'results/small/scenario.resolved.yaml', '--out', 'results/again'], dir);
    assertExit(again, 0);
    assert.equal(readFileSync(join(dir, 'results', 'again', 'weights.json'), 'utf8'), readFileSync(join(out, 'weights.json'), 'utf8'));
  });

  test('--events writes events.jsonl from run-started to run-finished, one census line per census.csv row', () => {
    const events = readFileSync(join(out, 'events.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; census?: Record<string, number> });
    assert.equal(events[0].kind, 'run-started');
    assert.equal(events[events.length - 1].kind, 'run-finished');
    assert.equal(events.filter((e) => e.kind === 'run-started').length, 1);
    assert.equal(events.filter((e) => e.kind === 'run-finished').length, 1);
    const censuses = events.filter((e) => e.kind === 'census');
    const csvRows = readFileSync(join(out, 'census.csv'), 'utf8').trimEnd().split('\n').length - 1;
    assert.equal(censuses.length, csvRows);
    for (const e of censuses) assert.equal(sum(Object.values(e.census!)), P);
  });

  test('--seed overrides the scenario seed (different weights, recorded in summary and resolved scenario); no events.jsonl without --events', () => {
    const other = runCli(['run', 'small.yaml', '--out', 'results/seed99', '--seed', '99'], dir);
    assertExit(other, 0);
    const dir99 = join(dir, 'results', 'seed99');
    assert.equal(existsSync(join(dir99, 'events.jsonl')), false);
    assert.equal(readJson<{ seed: number }>(join(dir99, 'summary.json')).seed, 99);
    assert.equal(parseYaml(readFileSync(join(dir99, 'scenario.resolved.yaml'), 'utf8')).seed, 99);
    const a = readJson<WeightsJson>(join(out, 'weights.json')).particles.map((p) => p.weights);
    const b = readJson<WeightsJson>(join(dir99, 'weights.json')).particles.map((p) => p.weights);
    assert.notDeepEqual(a, b);
  });

  test('--backend tfjs runs the scenario on tfjs and records it', () => {
    const tfjs = runCli(['run', 'small.yaml', '--out', 'results/tfjs', '--backend', 'tfjs'], dir);
    assertExit(tfjs, 0);
    const summary = readJson<{ backend: string; census: Record<string, number> }>(join(dir, 'results', 'tfjs', 'summary.json'));
    assert.match(summary.backend, /^tfjs/);
    assert.equal(sum(Object.values(summary.census)), P);
    assert.equal(parseYaml(readFileSync(join(dir, 'results', 'tfjs', 'scenario.resolved.yaml'), 'utf8')).backend, 'tfjs');
  });

  test('without --out the results go to results/<scenario basename> in the working directory', () => {
    const plain = runCli(['run', 'small.yaml'], dir);
    assertExit(plain, 0);
    assert.ok(existsSync(join(dir, 'results', 'small', 'weights.json')));
  });
});

describe('srnn command-line errors and other commands', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-cli-misc-');
    writeFile(dir, 'good.yaml', smallScenario({ size: 3, steps: 2 }));
    writeFile(dir, 'bad.yaml', ['seed: 1', 'architecture:', '  type: weightwise', '  width: two', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 2 }', ''].join('\n'));
  });

  test('validate exits 0 on a good scenario', () => {
    const result = runCli(['validate', 'good.yaml'], dir);
    assertExit(result, 0);
    assert.match(result.stdout, /good\.yaml: valid/);
  });

  test('validate exits 2 on a bad scenario with file:line:col on stderr', () => {
    const result = runCli(['validate', 'bad.yaml'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /bad\.yaml:4:10: .*architecture\.width/);
  });

  test('validate exits 2 on a missing scenario file', () => {
    const result = runCli(['validate', 'nope.yaml'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /nope\.yaml:1:1: /);
  });

  test('validate exits 2 (not 1) on an unknown experiment type', () => {
    writeFile(dir, 'bad-experiment.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: nope }', ''].join('\n'));
    const result = runCli(['validate', 'bad-experiment.yaml'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /bad-experiment\.yaml:4:21: /);
  });

  test('run on a bad scenario exits 2 with file:line:col and creates no results directory', () => {
    const result = runCli(['run', 'bad.yaml', '--out', 'results/bad'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /bad\.yaml:4:10: /);
    assert.equal(existsSync(join(dir, 'results')), false, 'not even the parent directory');
    assert.deepEqual(leftoverTemporaries(dir), []);
  });

  test('--backend nope exits 2, names the known backends and creates no results directory', () => {
    const result = runCli(['run', 'good.yaml', '--out', 'results/nope', '--backend', 'nope'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /nope/);
    assert.match(result.stderr, /js/);
    assert.match(result.stderr, /tfjs/);
    assert.equal(existsSync(join(dir, 'results', 'nope')), false);
  });

  test('a malformed --seed and an unknown command exit 2', () => {
    assertExit(runCli(['run', 'good.yaml', '--seed', 'abc'], dir), 2);
    assertExit(runCli(['frobnicate'], dir), 2);
  });

  test('plugins lists the weightwise architecture, the experiments and both backends', () => {
    const result = runCli(['plugins'], dir);
    assertExit(result, 0);
    const section = (title: string) => {
      const match = new RegExp(`^${title}:\\n((?:  .*\\n?)*)`, 'm').exec(result.stdout);
      assert.ok(match, `section ${title} in\n${result.stdout}`);
      return match[1]
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[0])
        .filter(Boolean);
    };
    for (const type of ['weightwise', 'aggregating', 'fft', 'recurrent']) assert.ok(section('architectures').includes(type), type);
    for (const type of ['density', 'mixed', 'self-application', 'self-train']) assert.ok(section('experiments').includes(type), type);
    assert.deepEqual(section('backends').sort(), ['js', 'tfjs', 'wasm', 'wasm-f32']);
  });

  test('schema prints a JSON Schema equal to the committed scenarios/scenario.schema.json', () => {
    const result = runCli(['schema'], dir);
    assertExit(result, 0);
    const schema = JSON.parse(result.stdout) as { $schema?: string; properties?: Record<string, unknown>; required?: string[] };
    assert.match(schema.$schema ?? '', /json-schema\.org/);
    for (const key of ['seed', 'architecture', 'population', 'experiment', 'classify', 'plugins']) assert.ok(schema.properties?.[key], key);
    const committed = readFileSync(join(REPO_ROOT, 'scenarios', 'scenario.schema.json'), 'utf8');
    assert.equal(result.stdout, committed, 'scenarios/scenario.schema.json is stale: regenerate it with `npm run schema`');
  });

  test('schema --out writes the same text to a file', () => {
    const result = runCli(['schema', '--out', 'schema.json'], dir);
    assertExit(result, 0);
    assert.equal(readFileSync(join(dir, 'schema.json'), 'utf8'), runCli(['schema'], dir).stdout);
  });
});

describe('scenario.resolved.yaml stays runnable from the results directory', () => {
  const INIT = [
    [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0],
    [0.5, 0.25, 0.125, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0],
  ];

  test('re-running a resolved scenario whose init file was relative to the original scenario gives the same weights', () => {
    const dir = tempDir('srnn-cli-rerun-init-');
    writeFileSync(join(dir, 'init.json'), JSON.stringify(INIT));
    writeFile(dir, 's.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 2, init: { file: init.json } }', 'experiment: { type: self-train, steps: 3 }', ''].join('\n'));
    assertExit(runCli(['run', 's.yaml', '--out', 'out/first'], dir), 0);
    const again = runCli(['run', 'out/first/scenario.resolved.yaml', '--out', 'out/second'], dir);
    assertExit(again, 0);
    assert.equal(readFileSync(join(dir, 'out', 'second', 'weights.json'), 'utf8'), readFileSync(join(dir, 'out', 'first', 'weights.json'), 'utf8'));
  });

  test('re-running a resolved scenario whose plugin path was relative to the original scenario works with --plugin (the path now leaves its folder)', () => {
    const dir = tempDir('srnn-cli-rerun-plugin-');
    writeFile(
      dir,
      's.yaml',
      ['seed: 1', `plugins: [${failingPluginFrom(dir)}]`, 'architecture: { type: weightwise }', 'population: { size: 2 }', 'experiment: { type: fail-midway, fail: false }', ''].join('\n'),
    );
    assertExit(runCli(['run', 's.yaml', '--out', 'out/first', '--allow-plugins'], dir), 0);
    const outside = runCli(['run', 'out/first/scenario.resolved.yaml', '--out', 'out/second', '--allow-plugins'], dir);
    assertExit(outside, 2);
    assert.match(outside.stderr, /scenario\.resolved\.yaml:\d+:\d+: plugins: .* outside the scenario's folder .*--plugin FILE/);
    const again = runCli(['run', 'out/first/scenario.resolved.yaml', '--out', 'out/second', '--plugin', 'failing-experiment-plugin.js'], dir);
    assertExit(again, 0);
    assert.equal(readFileSync(join(dir, 'out', 'second', 'weights.json'), 'utf8'), readFileSync(join(dir, 'out', 'first', 'weights.json'), 'utf8'));
  });
});
