import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ContainerModule } from 'inversify';
import { Srnn } from '@srnn/runner';
import { FAILING_PLUGIN, describeCli, failingPluginFrom, leftoverTemporaries, readJson, runCli, smallScenario, tempDir, writeFile, type CliResult, type WeightsJson } from './support/helpers';

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

/** Every file under `dir` with its content, for "untouched" comparisons. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** A scenario using the fixture plugin's `fail-midway` experiment (options appended verbatim). */
function failingScenario(scenarioDir: string, options = ''): string {
  return [
    'seed: 3',
    `plugins: [${failingPluginFrom(scenarioDir)}]`,
    'architecture: { type: weightwise }',
    'population: { size: 4 }',
    `experiment: { type: fail-midway${options} }`,
    'output: { events: true }',
    '',
  ].join('\n');
}

describe('results directory atomicity (CLI)', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-results-dir-');
    writeFile(dir, 'fails.yaml', failingScenario(dir));
    writeFile(dir, 'works.yaml', failingScenario(dir, ', fail: false'));
    writeFile(dir, 'good.yaml', smallScenario({ size: 4, steps: 5, seed: 1 }));
    writeFile(dir, 'good-other-seed.yaml', smallScenario({ size: 4, steps: 5, seed: 2 }));
  });

  test('a run that fails midway exits 1 and leaves no results directory and no .srnn-tmp-* directory', () => {
    const result = runCli(['run', 'fails.yaml', '--out', 'results/fails', '--allow-plugins'], dir);
    assertExit(result, 1);
    assert.match(result.stderr, /fail-midway: deliberate failure/);
    assert.equal(existsSync(join(dir, 'results', 'fails')), false);
    assert.deepEqual(readdirSync(join(dir, 'results')), [], 'nothing left beside the target either');
  });

  test('a run that fails midway leaves an earlier complete results directory at the same path untouched', () => {
    assertExit(runCli(['run', 'good.yaml', '--out', 'results/kept', '--events'], dir), 0);
    const before = snapshot(join(dir, 'results', 'kept'));
    assert.ok('weights.json' in before);

    const failed = runCli(['run', 'fails.yaml', '--out', 'results/kept', '--allow-plugins'], dir);
    assertExit(failed, 1);
    assert.deepEqual(snapshot(join(dir, 'results', 'kept')), before);
    assert.deepEqual(readdirSync(join(dir, 'results')).sort(), ['kept']);
  });

  test('a successful rerun replaces an existing results directory as a whole', () => {
    assertExit(runCli(['run', 'good.yaml', '--out', 'results/replaced', '--events'], dir), 0);
    const target = join(dir, 'results', 'replaced');
    writeFileSync(join(target, 'stale.txt'), 'from an earlier run\n');
    const oldWeights = readFileSync(join(target, 'weights.json'), 'utf8');

    assertExit(runCli(['run', 'good-other-seed.yaml', '--out', 'results/replaced'], dir), 0);
    const data = readdirSync(target).filter((name) => !/\.(svg|png|vl\.json)$/.test(name));
    assert.deepEqual(data.sort(), ['.srnn-results', 'census.csv', 'scenario.resolved.yaml', 'summary.json', 'weights.json'], 'no stale.txt, no events.jsonl of the earlier run');
    assert.notEqual(readFileSync(join(target, 'weights.json'), 'utf8'), oldWeights);
    assert.equal(readJson<{ seed: number }>(join(target, 'summary.json')).seed, 2);
    assert.deepEqual(leftoverTemporaries(join(dir, 'results')), []);
    assert.deepEqual(
      readdirSync(join(dir, 'results')).filter((name) => name.startsWith('.')),
      [],
      'no hidden leftovers (temporary or old directories)',
    );
  });

  test('missing parent directories of --out are created', () => {
    assertExit(runCli(['run', 'good.yaml', '--out', 'deep/er/results'], dir), 0);
    assert.ok(existsSync(join(dir, 'deep', 'er', 'results', 'weights.json')));
  });
});

describe('a scenario-listed local plugin', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-local-plugin-');
    writeFile(dir, 'works.yaml', failingScenario(dir, ', fail: false, failAfter: 2'));
    writeFile(dir, 'bad-option.yaml', failingScenario(dir, ', failAfter: -1'));
  });

  test('its experiment type is accepted by validation', () => {
    const result = runCli(['validate', 'works.yaml', '--allow-plugins'], dir);
    assertExit(result, 0);
    assert.match(result.stdout, /fail-midway/);
  });

  test('its option schema is part of the scenario schema (a bad option is located at its value)', () => {
    const result = runCli(['validate', 'bad-option.yaml', '--allow-plugins'], dir);
    assertExit(result, 2);
    // line 5: "experiment: { type: fail-midway, failAfter: -1 }"; the value -1 is at column 45
    assert.match(result.stderr, /bad-option\.yaml:5:45: .*experiment\.failAfter/);
  });

  test('it runs: the CLI writes a complete results directory with its censuses', () => {
    const result = runCli(['run', 'works.yaml', '--out', 'out', '--allow-plugins'], dir);
    assertExit(result, 0);
    const rows = readFileSync(join(dir, 'out', 'census.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    assert.deepEqual(
      rows.slice(1).map((row) => row.split(',')[0]),
      ['0', '2'],
    );
    assert.equal(readJson<WeightsJson>(join(dir, 'out', 'weights.json')).particles.length, 4);
    assert.equal(readJson<{ experiment: string }>(join(dir, 'out', 'summary.json')).experiment, 'fail-midway');
  });

  test('loading the scenario registers the plugin with the Srnn instance', async () => {
    const srnn = await Srnn.create();
    assert.ok(!srnn.registry.experiments.some((e) => e.type === 'fail-midway'));
    const loaded = await srnn.loadScenario(join(dir, 'works.yaml'), { allowPlugins: true });
    assert.equal(loaded.scenario.experiment.type, 'fail-midway');
    assert.deepEqual(loaded.scenario.experiment, { type: 'fail-midway', failAfter: 2, fail: false, message: 'fail-midway: deliberate failure' });
    assert.ok(
      srnn.plugins.some((p) => p.path === realpathSync(join(dir, 'failing-experiment-plugin.js'))),
      JSON.stringify(srnn.plugins),
    );
    assert.ok(srnn.registry.experiments.some((e) => e.type === 'fail-midway'));
  });
});

describe('results directory atomicity (API)', () => {
  let srnn: Srnn;
  let dir: string;

  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JS fixture module outside the compiled tree
    const plugin = (require(FAILING_PLUGIN) as { default: ContainerModule }).default;
    srnn = await Srnn.create({ modules: [plugin] });
    dir = tempDir('srnn-results-api-');
  });

  async function complete(out: string): Promise<Record<string, string>> {
    const loaded = await srnn.loadScenarioText(smallScenario({ size: 3, steps: 4 }), 'good.yaml');
    await srnn.runIntoDirectory(srnn.createRun(loaded), out);
    return snapshot(out);
  }

  test('runIntoDirectory rejects with the experiment error and leaves an earlier directory untouched', async () => {
    const out = join(dir, 'failing', 'out');
    const before = await complete(out);
    const loaded = await srnn.loadScenarioText(
      ['architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: fail-midway, message: boom at step 3 }', 'output: { events: true }', ''].join('\n'),
      'fails.yaml',
    );
    await assert.rejects(srnn.runIntoDirectory(srnn.createRun(loaded), out), /boom at step 3/);
    assert.deepEqual(snapshot(out), before);
    assert.deepEqual(readdirSync(join(dir, 'failing')), ['out']);
  });

  test('a cancelled run rejects and leaves no results directory', async () => {
    const parent = join(dir, 'cancelled');
    mkdirSync(parent);
    const loaded = await srnn.loadScenarioText(smallScenario({ size: 3, steps: 30 }), 'cancel.yaml');
    const run = srnn.createRun(loaded);
    run.events$.subscribe((event) => {
      if (event.kind === 'progress') run.cancel('stop right there');
    });
    await assert.rejects(srnn.runIntoDirectory(run, join(parent, 'out')), /stop right there/);
    assert.deepEqual(readdirSync(parent), []);
  });
});
