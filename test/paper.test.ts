import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { ScenarioError } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { PaperRun, PaperUsageError, referenceBlocks } from '@srnn/report';
import { describeCli, runCli, tempDir, writeFile, type CliResult } from './support/helpers';
import { goldenTables } from './support/golden';
import { interrupted } from './support/interrupt';

/** Three small scenarios standing in for scenarios/paper/: a sweep, a single run, one without paper metadata. */
const ALPHA = [
  'name: alpha',
  'seed: 7',
  'architecture: { type: weightwise }',
  'population: { size: 10 }',
  'experiment: { type: self-application, steps: 20 }',
  'sweep: { architecture.type: [weightwise, aggregating] }',
  'replicates: 2',
  'figures: [{ type: census-bars, x: architecture.type }]',
  'paper:',
  '  section: "4.1"',
  '  title: Alpha census',
  '  summary: Random nets apply themselves to themselves.',
  '  claims: [nets only diverge or collapse to zero]',
  '  reference:',
  '    weightwise: { divergent: "≈ 45 %", fixpoint: "0 %" }',
  '    aggregating: { fixpoint: "0 %" }',
  'quick: { population.size: 4, replicates: 1 }',
  '',
].join('\n');
const BETA = [
  'name: beta',
  'seed: 8',
  'architecture: { type: weightwise }',
  'population: { size: 5 }',
  'experiment: { type: self-train, steps: 40, censusEvery: 10 }',
  'paper:',
  '  section: "4.2"',
  '  title: Beta self-training',
  '  claims: [weightwise nets become fixpoints]',
  '  reference: { level: ["10^0", "10^-1"], mean time: [3.6, 5.0] }',
  'quick: { experiment.steps: 10 }',
  '',
].join('\n');
const GAMMA = ['seed: 9', 'architecture: { type: weightwise }', 'population: { size: 6 }', 'experiment: { type: density }', 'replicates: 2', ''].join('\n');

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

function scenarioDir(parent: string, files: Record<string, string>): string {
  const dir = join(parent, 'paper-scenarios');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

const hidden = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('.'));

describe('srnn paper (end to end, on a small scenario directory)', () => {
  let dir: string;
  let quick: CliResult;
  const out = () => join(dir, 'results', 'quick');

  before(() => {
    dir = tempDir('srnn-paper-');
    scenarioDir(dir, { 'alpha.yaml': ALPHA, 'beta.yaml': BETA, 'gamma.yaml': GAMMA });
    quick = runCli(['paper', '--scenarios', 'paper-scenarios', '--quick', '--out', 'results/quick', '--workers', '2'], dir);
  });

  test('--quick runs every scenario with its quick: overrides into DIR/<name>/ and writes report.md and report.html', () => {
    assertExit(quick, 0);
    assert.deepEqual(readdirSync(out()).sort(), ['.srnn-results', 'alpha', 'beta', 'gamma', 'report.html', 'report.md']);
    assert.deepEqual(hidden(join(dir, 'results')), [], 'no temporary directory left');
    const alpha = parseYaml(readFileSync(join(out(), 'alpha', 'scenario.resolved.yaml'), 'utf8'));
    assert.equal(alpha.population.size, 4);
    assert.equal(alpha.replicates, 1);
    assert.equal(
      readFileSync(join(out(), 'alpha', 'runs.csv'), 'utf8')
        .trimEnd()
        .split('\n').length,
      1 + 2,
    );
    // a single run's directory is a run's results directory, as `srnn run` writes it
    const census = readFileSync(join(out(), 'beta', 'census.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    assert.equal(census[census.length - 1].split(',')[0], '10', 'quick: 10 steps');
    assert.ok(existsSync(join(out(), 'beta', 'weights.json')));
    assert.ok(existsSync(join(out(), 'beta', 'census-over-time.png')), 'figures of a single run');
    assert.ok(existsSync(join(out(), 'alpha', 'census-bars.png')), 'listed figures of a sweep');
    // gamma has no quick: block and runs with its own settings
    assert.equal(parseYaml(readFileSync(join(out(), 'gamma', 'scenario.resolved.yaml'), 'utf8')).population.size, 6);
    assert.match(quick.stdout, /paper \(quick\) of 3 experiments after [0-9.]+ s on 2 workers/);
    assert.match(quick.stderr, /3 experiments, 5 runs on 2 workers/);
  });

  test('report.md has a section per experiment, in PAPER.md order: title, what the paper did, numbers, claims, reference, figures, seed, settings', () => {
    const md = readFileSync(join(out(), 'report.md'), 'utf8');
    const headings = md.split('\n').filter((line) => line.startsWith('## '));
    assert.deepEqual(headings, ['## §4.1 Alpha census', '## §4.2 Beta self-training', '## gamma']);
    assert.match(md, /Random nets apply themselves to themselves\./);
    assert.match(md, /- nets only diverge or collapse to zero/);
    assert.match(md, /\| weightwise \| ≈ 45 % \| 0 % \|/, 'the reference numbers as a table');
    assert.match(md, /\| level \| 10\^0 \| 10\^-1 \|\n\| :--- \| :--- \| :--- \|\n\| mean time \| 3\.6 \| 5 \|/, 'short lists as rows');
    assert.match(md, /\| type \| n \| divergent \| zero \|/, "srnn's census per combination");
    assert.match(md, /!\[alpha\/census-bars\.png\]\(alpha\/census-bars\.png\)/);
    assert.match(md, /!\[beta\/census-over-time\.png\]\(beta\/census-over-time\.png\)/);
    assert.match(md, /\*\*seed:\*\* 7 \(base seed/);
    assert.match(md, /\*\*seed:\*\* 8/);
    assert.match(md, /\*\*workers:\*\* 2/);
    assert.match(md, /\*\*settings:\*\* quick: \{ population\.size: 4, replicates: 1 \}/);
    assert.match(md, /<details><summary>settings: alpha\/scenario\.resolved\.yaml/);
    assert.match(md, /gamma\.yaml has no paper: block/);
  });

  test('report.html is self-contained: every figure inlined as a base64 PNG, no external resource', () => {
    const html = readFileSync(join(out(), 'report.html'), 'utf8');
    for (const name of ['alpha', 'beta', 'gamma']) assert.match(html, new RegExp(`<h2 id="${name}">`));
    const pngs = readdirSync(join(out(), 'alpha')).filter((f) => f.endsWith('.png')).length + readdirSync(join(out(), 'beta')).filter((f) => f.endsWith('.png')).length;
    assert.equal(html.match(/<img [^>]*src="data:image\/png;base64,[A-Za-z0-9+/=]+"/g)?.length, pngs);
    assert.doesNotMatch(html, /(src|href)="(?!data:)/, 'no link to anything outside the page');
    assert.doesNotMatch(html, /<(script|link|iframe)\b/);
    assert.match(html, /<li>nets only diverge or collapse to zero<\/li>/);
  });

  test('--only runs the named scenarios only', () => {
    const result = runCli(['paper', '--scenarios', 'paper-scenarios', '--quick', '--only', 'gamma,alpha', '--out', 'results/only'], dir);
    assertExit(result, 0);
    assert.deepEqual(readdirSync(join(dir, 'results', 'only')).sort(), ['.srnn-results', 'alpha', 'gamma', 'report.html', 'report.md']);
    const md = readFileSync(join(dir, 'results', 'only', 'report.md'), 'utf8');
    assert.doesNotMatch(md, /Beta/);
  });

  test('--only with an unknown name exits 2 naming the known ones, and writes nothing', () => {
    const result = runCli(['paper', '--scenarios', 'paper-scenarios', '--only', 'alpha,delta', '--out', 'results/unknown'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /--only: no paper scenario "delta"; expected names from: alpha, beta, gamma/);
    assert.equal(existsSync(join(dir, 'results', 'unknown')), false);
  });

  test('without --quick every scenario runs with its full settings', async () => {
    const srnn = await Srnn.create();
    const run = await PaperRun.plan(srnn, { out: join(dir, 'unused'), scenarios: join(dir, 'paper-scenarios'), only: ['alpha'], workers: 1 });
    assert.deepEqual(
      run.experiments.map((e) => [e.name, e.quick, e.plan.runs.length, e.plan.base.population.size]),
      [['alpha', 'off', 4, 10]],
    );
    await run.close();
  });

  test('with 1 worker srnn paper writes the same tables as with 2', () => {
    assertExit(runCli(['paper', '--scenarios', 'paper-scenarios', '--quick', '--out', 'results/one', '--workers', '1'], dir), 0);
    for (const name of ['alpha', 'beta', 'gamma']) {
      assert.deepEqual(goldenTables(join(dir, 'results', 'one', name)), goldenTables(join(out(), name)), name);
    }
    assert.match(readFileSync(join(dir, 'results', 'one', 'report.md'), 'utf8'), /\*\*workers:\*\* 1/);
  });

  test('Ctrl-C cancels srnn paper and leaves no results directory', async () => {
    const slow = join(dir, 'slow');
    scenarioDir(slow, {
      'slow.yaml': ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 50 }', 'experiment: { type: self-train, steps: 1000000 }', 'replicates: 3', ''].join('\n'),
      'alpha.yaml': ALPHA,
    });
    const { status, stderr } = await interrupted(['paper', '--scenarios', join(slow, 'paper-scenarios'), '--out', 'results/slow', '--workers', '2'], dir, /7 runs on 2 workers/);
    assert.notEqual(status, 0, stderr);
    assert.match(stderr, /interrupted/);
    assert.equal(existsSync(join(dir, 'results', 'slow')), false);
    assert.deepEqual(hidden(join(dir, 'results')), []);
  });
});

describe('quick: overrides are validated like the scenario itself', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-quick-');
  });

  const scenario = (quick: string) =>
    ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 2 }', 'sweep: { experiment.lr: [0.1, 0.2] }', `quick: ${quick}`, ''].join(
      '\n',
    );

  const cases: [string, string, RegExp][] = [
    ['a bad value', '{ replicates: 1, population.size: -1 }', /bad\.yaml:6:42: quick "population\.size": population\.size: Too small/],
    ['an unknown key', '{ population.sise: 3 }', /bad\.yaml:6:27: quick "population\.sise": unknown key "sise" in population; expected one of: size, init/],
    ['a key below a value', '{ architecture.type.width: 2 }', /bad\.yaml:6:10: quick key "architecture\.type\.width": architecture\.type is not a mapping or list/],
    ['a bad value in a swept list it replaces', '{ sweep.experiment.lr: [0.3, 0] }', /bad\.yaml:6:37: sweep combination experiment\.lr=0: experiment\.lr: Too small/],
    ['quick itself', '{ quick.x: 1 }', /bad\.yaml:6:10: quick key "quick\.x": quick cannot be set by quick/],
  ];
  for (const [what, quick, message] of cases) {
    test(`${what} is an error located at its quick: entry (srnn validate exits 2)`, () => {
      writeFile(dir, 'bad.yaml', scenario(quick));
      const result = runCli(['validate', 'bad.yaml'], dir);
      assertExit(result, 2);
      assert.match(result.stderr, message);
    });
  }

  test('srnn paper rejects a scenario with a bad quick: entry before running anything', () => {
    const scenarios = scenarioDir(dir, { 'bad.yaml': scenario('{ experiment.steps: -5 }'), 'alpha.yaml': ALPHA });
    const result = runCli(['paper', '--scenarios', scenarios, '--quick', '--out', 'results/bad'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /bad\.yaml:6:28: quick "experiment\.steps": experiment\.steps: /);
    assert.equal(existsSync(join(dir, 'results')), false);
  });

  test('the quick version applies the overrides, replaces a swept list, keeps the seed; validate counts its runs', async () => {
    writeFile(dir, 'good.yaml', scenario('{ population.size: 2, replicates: 3, sweep.experiment.lr: [0.5] }'));
    const result = runCli(['validate', 'good.yaml'], dir);
    assertExit(result, 0);
    assert.match(result.stdout, /a sweep of 2 runs; quick: 3 runs/);
    const srnn = await Srnn.create();
    const loaded = await srnn.loadScenario(join(dir, 'good.yaml'));
    const plan = srnn.createSweep(loaded, { quick: true }).plan;
    assert.equal(plan.base.population.size, 2);
    assert.equal(plan.base.seed, 1);
    assert.deepEqual(
      plan.runs.map((r) => [r.values['experiment.lr'], r.replicate]),
      [
        [0.5, 0],
        [0.5, 1],
        [0.5, 2],
      ],
    );
    // the same runs as the full version's where their identity is the same: seeds derive from values and replicate
    const full = srnn.createSweep(loaded).plan;
    assert.equal(full.runs.length, 2);
    assert.equal(srnn.createSweep(loaded, { quick: true, seed: 4 }).plan.base.seed, 4, 'an explicit seed wins over quick');
  });

  test('PaperRun.plan reports unknown --only names and a bad scenario as typed errors', async () => {
    const srnn = await Srnn.create();
    const scenarios = scenarioDir(join(dir, 'typed'), { 'bad.yaml': scenario('{ experiment.steps: -5 }'), 'alpha.yaml': ALPHA });
    await assert.rejects(PaperRun.plan(srnn, { out: join(dir, 'x'), scenarios, only: ['zeta'] }), PaperUsageError);
    await assert.rejects(PaperRun.plan(srnn, { out: join(dir, 'x'), scenarios }), ScenarioError);
  });
});

describe('report: reference numbers', () => {
  test('a mapping of scalars, of equal-length lists or of mappings becomes a table; anything else YAML', () => {
    assert.deepEqual(
      referenceBlocks({ a: 1, b: 'x' }).map((b) => b.kind),
      ['table'],
    );
    const lists = referenceBlocks({ level: ['1', '0.1'], mean: [3.6, 5] })[0];
    assert.ok(lists.kind === 'table');
    assert.deepEqual([lists.header, lists.rows], [['level', '1', '0.1'], [['mean', '3.6', '5']]]);
    const maps = referenceBlocks({ weightwise: { fixpoint: '0 %' }, fft: { other: 'all' } })[0];
    assert.ok(maps.kind === 'table');
    assert.deepEqual(
      [maps.header, maps.rows],
      [
        ['', 'fixpoint', 'other'],
        [
          ['weightwise', '0 %', ''],
          ['fft', '', 'all'],
        ],
      ],
    );
    const long = referenceBlocks({ level: ['1', '0.1', '0.01', '1e-3', '1e-4'], mean: [3.6, 5, 6.5, 8, 9.6] })[0];
    assert.ok(long.kind === 'table');
    assert.deepEqual(
      [long.header, long.rows[0], long.rows[4]],
      [
        ['level', 'mean'],
        ['1', '3.6'],
        ['1e-4', '9.6'],
      ],
      'long lists as columns',
    );
    assert.deepEqual(
      referenceBlocks([1, 2]).map((b) => b.kind),
      ['details'],
    );
  });
});

describe('report: the spread over replicates and open differences', () => {
  const DELTA = [
    'seed: 3',
    // js: its float64 steps give replicates that differ at level 1e-6 (on float32 wasm-f32 the three agree there)
    'backend: js',
    'architecture: { type: weightwise }',
    'population: { size: 1 }',
    'experiment: { type: robustness, trials: 6, levels: [1.0e-2, 1.0e-6], maxSteps: 30 }',
    'replicates: 3',
    'paper:',
    '  section: "4.4"',
    '  title: Delta robustness',
    "  differences: [the paper's clocks run differently]",
    '',
  ].join('\n');
  const EPSILON = [
    'seed: 5',
    'architecture: { type: weightwise }',
    'population: { size: 8, init: glorot-uniform }',
    'experiment: { type: self-application, steps: 100 }',
    'sweep: { architecture.type: [weightwise, aggregating] }',
    'replicates: 4',
    'figures: [{ type: fraction-lines, x: architecture.type, class: [divergent, zero], label: gone }]',
    '',
  ].join('\n');
  let dir: string;
  let md: string;

  before(() => {
    dir = tempDir('srnn-paper-spread-');
    scenarioDir(dir, { 'delta.yaml': DELTA, 'epsilon.yaml': EPSILON });
    assertExit(runCli(['paper', '--scenarios', 'paper-scenarios', '--out', 'out', '--workers', '2'], dir), 0);
    md = readFileSync(join(dir, 'out', 'report.md'), 'utf8');
  });

  test("a sweep's own tables are shown over its replicates: mean ± sample std per cell, the value alone where all agree", () => {
    assert.match(md, /robustness-levels\.csv: mean ± sample std over 3 replicates \(delta\/runs\/\\\*\/robustness-levels\.csv\)/);
    const rows = md.split('\n').filter((line) => /^\| (0\.01|1e-6) \|/.test(line));
    assert.equal(rows.length, 2, md);
    const levels = readdirSync(join(dir, 'out', 'delta', 'runs')).map((run) => JSON.parse(readFileSync(join(dir, 'out', 'delta', 'runs', run, 'robustness-levels.json'), 'utf8')));
    const times = levels.map((table) => table[1].mean_time_to_vergence as number);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const cells = rows[1].split(' | ');
    assert.equal(cells[1], '6', 'trials: the same in every run');
    assert.match(cells[2], /^[0-9.]+ ± [0-9.]+$/);
    assert.ok(Math.abs(Number(cells[2].split(' ± ')[0]) - mean) < 0.01, `${cells[2]} vs ${mean}`);
  });

  test('the paper column lists the open differences', () => {
    assert.match(md, /#### open differences\n\n- the paper's clocks run differently/);
  });

  test("the census table has a column per sum of classes a fraction-lines figure plots, with the sums' spread", () => {
    assert.match(md, /\| type \| n \| divergent \| zero \| fixpoint \| second-order \| other \| gone \|/);
    const runs = readFileSync(join(dir, 'out', 'epsilon', 'runs.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => line.split(','));
    const [header, ...rest] = runs;
    const col = (name: string) => header.indexOf(name);
    const sums = rest.filter((r) => r[col('architecture.type')] === 'weightwise').map((r) => Number(r[col('fraction.divergent')]) + Number(r[col('fraction.zero')]));
    const mean = (100 * sums.reduce((a, b) => a + b, 0)) / sums.length;
    const row = md.split('\n').find((line) => line.startsWith('| weightwise | 4 |'))!;
    assert.equal(row.split(' | ').at(-1)!.replace(' |', '').split(' ± ')[0], mean.toFixed(1));
  });
});
