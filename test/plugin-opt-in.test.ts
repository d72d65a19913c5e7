import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, beforeEach, describe, test } from 'node:test';
import { discoverInstalledPlugins, Srnn } from '@srnn/runner';
import { describeCli, FAILING_PLUGIN, runCli, smallScenario, tempDir, writeFile, type CliResult } from './support/helpers';

/**
 * No code from data: the modules a scenario (or a results directory) names are loaded only when
 * the command line says so (--allow-plugins, or --plugin FILE), and only from inside its folder;
 * installed plugins are only those srnn and the project installing it declare.
 */

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

/** A plugin module that leaves `marker` behind when it is loaded (and registers `fail-midway`). */
function markerPlugin(path: string, marker: string): void {
  writeFileSync(path, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'loaded');\nmodule.exports = require(${JSON.stringify(FAILING_PLUGIN)});\n`);
}

/** A scenario using the fixture plugin's experiment, naming `entry` under plugins:. */
function pluginScenario(entry: string): string {
  return ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 2 }', 'experiment: { type: fail-midway, fail: false, failAfter: 1 }', `plugins: [${JSON.stringify(entry)}]`, ''].join(
    '\n',
  );
}

describe('plugin modules a scenario names (CLI)', () => {
  let dir: string;
  let marker: string;

  before(() => {
    dir = tempDir('srnn-plugin-opt-in-');
    marker = join(dir, 'MARKER');
    markerPlugin(join(dir, 'marker-plugin.js'), marker);
    writeFile(dir, 's.yaml', pluginScenario('./marker-plugin.js'));
  });

  beforeEach(() => rmSync(marker, { force: true }));

  for (const command of ['validate', 'run']) {
    test(`${command} without --allow-plugins exits 2 at the plugins key, names the flag and loads nothing`, () => {
      const result = runCli([command, 's.yaml', '--out', join(dir, 'never')].slice(0, command === 'run' ? 4 : 2), dir);
      assertExit(result, 2);
      assert.match(result.stderr, /^srnn: s\.yaml:5:1: plugins: .*--allow-plugins.*--plugin FILE/);
      assert.equal(existsSync(marker), false, 'the plugin was not executed');
      assert.equal(existsSync(join(dir, 'never')), false);
    });
  }

  test('with --allow-plugins a plugin inside the scenario folder is loaded', () => {
    const result = runCli(['validate', 's.yaml', '--allow-plugins'], dir);
    assertExit(result, 0);
    assert.equal(existsSync(marker), true);
  });

  test('with --allow-plugins a path leaving the folder (relative, absolute, or a symbolic link) is refused at its entry, pointing to --plugin', () => {
    const inner = join(dir, 'inner');
    mkdirSync(inner, { recursive: true });
    writeFile(inner, 'up.yaml', pluginScenario('../marker-plugin.js'));
    writeFile(inner, 'absolute.yaml', pluginScenario(join(dir, 'marker-plugin.js')));
    symlinkSync(join(dir, 'marker-plugin.js'), join(inner, 'link.js'));
    writeFile(inner, 'link.yaml', pluginScenario('./link.js'));
    for (const name of ['up.yaml', 'absolute.yaml', 'link.yaml']) {
      const result = runCli(['validate', join('inner', name), '--allow-plugins'], dir);
      assertExit(result, 2);
      assert.match(result.stderr, new RegExp(`^srnn: inner/${name.replace('.', '\\.')}:5:11: plugins: .* outside the scenario's folder .*--plugin FILE instead`));
      assert.equal(existsSync(marker), false, name);
    }
  });

  test('a module named with --plugin is loaded first; a scenario naming the same module needs no --allow-plugins', () => {
    const inner = join(dir, 'inner2');
    mkdirSync(inner, { recursive: true });
    writeFile(inner, 'up.yaml', pluginScenario('../marker-plugin.js'));
    const result = runCli(['validate', join('inner2', 'up.yaml'), '--plugin', 'marker-plugin.js'], dir);
    assertExit(result, 0);
    assert.equal(existsSync(marker), true);
    const missing = runCli(['validate', 's.yaml', '--plugin', 'no-such.js'], dir);
    assertExit(missing, 2);
    assert.match(missing.stderr, /--plugin no-such\.js: no such file/);
  });

  test('plot never loads the plugins a results directory names, unless named with --plugin', () => {
    assertExit(runCli(['run', 's.yaml', '--out', 'results/s', '--allow-plugins'], dir), 0);
    rmSync(marker);
    const refused = runCli(['plot', 'results/s'], dir);
    assertExit(refused, 2);
    assert.match(refused.stderr, /results\/s\/scenario\.resolved\.yaml:\d+:1: plugins: .*--allow-plugins/);
    const outside = runCli(['plot', 'results/s', '--allow-plugins'], dir);
    assertExit(outside, 2);
    assert.match(outside.stderr, /outside the scenario's folder .*--plugin FILE/);
    assert.equal(existsSync(marker), false);
    assertExit(runCli(['plot', 'results/s', '--plugin', 'marker-plugin.js'], dir), 0);
  });

  test('a sweep in worker threads runs with the plugins the main thread allowed', () => {
    writeFile(dir, 'sweep.yaml', pluginScenario('./marker-plugin.js') + 'replicates: 3\n');
    assertExit(runCli(['run', 'sweep.yaml', '--out', 'results/sweep', '--workers', '2'], dir), 2);
    assert.equal(existsSync(marker), false);
    const result = runCli(['run', 'sweep.yaml', '--out', 'results/sweep', '--workers', '2', '--allow-plugins'], dir);
    assertExit(result, 0);
    assert.match(result.stdout, /sweep of 3 runs/);
  });

  test('paper without --allow-plugins refuses a scenario naming plugins before anything runs', () => {
    const papers = join(dir, 'paper');
    mkdirSync(papers, { recursive: true });
    markerPlugin(join(papers, 'marker-plugin.js'), marker);
    writeFile(papers, 'p.yaml', pluginScenario('./marker-plugin.js'));
    const result = runCli(['paper', '--scenarios', 'paper', '--out', 'paper-out', '--workers', '1'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /p\.yaml:5:1: plugins: .*--allow-plugins/);
    assert.equal(existsSync(marker), false);
    assert.equal(existsSync(join(dir, 'paper-out')), false);
  });
});

describe('plugin modules a scenario names (API)', () => {
  let dir: string;
  let srnn: Srnn;

  before(async () => {
    dir = tempDir('srnn-plugin-api-');
    srnn = await Srnn.create();
  });

  test('loadScenario rejects a scenario naming plugins unless { allowPlugins: true }', async () => {
    const marker = join(dir, 'API-MARKER');
    markerPlugin(join(dir, 'marker-plugin.js'), marker);
    const file = writeFile(dir, 's.yaml', pluginScenario('./marker-plugin.js'));
    await assert.rejects(srnn.loadScenario(file), /s\.yaml:5:1: plugins: .*--allow-plugins/);
    assert.equal(existsSync(marker), false);
    const loaded = await srnn.loadScenario(file, { allowPlugins: true });
    assert.equal(loaded.scenario.experiment.type, 'fail-midway');
    assert.equal(existsSync(marker), true);
  });

  test("a pool's workers load only the modules the creating Srnn loaded: a run naming another is rejected, unexecuted", async () => {
    const marker = join(dir, 'POOL-MARKER');
    markerPlugin(join(dir, 'other-plugin.js'), marker);
    const { scenario } = await srnn.loadScenarioText(smallScenario({ size: 2, steps: 2 }), join(dir, 'small.yaml'));
    const pool = srnn.createPool({ workers: 2 });
    try {
      await assert.rejects(pool.execute({ ...scenario, plugins: [join(dir, 'other-plugin.js')] }), /other-plugin\.js was not loaded by this Srnn/);
      assert.equal((await pool.execute(scenario)).populationSize, 2);
    } finally {
      await pool.close();
    }
    assert.equal(existsSync(marker), false);
  });
});

describe('discovery of installed plugins', () => {
  /** A package directory `node_modules/<name>` under `root`, with an srnn module that leaves a marker. */
  function fakePlugin(root: string, name: string, marker: string, extra: Record<string, unknown> = {}): void {
    const dir = join(root, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', srnn: { module: './module.js' }, ...extra }));
    markerPlugin(join(dir, 'module.js'), marker);
  }

  test("a package with an srnn entry in the working directory's node_modules (or a parent's) is not loaded by validate, schema, plugins or run", () => {
    const parent = tempDir('srnn-discovery-');
    const cwd = join(parent, 'work');
    mkdirSync(cwd);
    const marker = join(parent, 'DISCOVERY-MARKER');
    fakePlugin(cwd, 'evil-srnn-plugin', marker);
    fakePlugin(parent, '@evil/srnn-plugin', marker);
    writeFile(cwd, 'package.json', JSON.stringify({ name: 'work', dependencies: { 'evil-srnn-plugin': '1.0.0' } }));
    writeFile(cwd, 's.yaml', smallScenario({ size: 2, steps: 2 }));
    for (const args of [['validate', 's.yaml'], ['schema'], ['plugins'], ['run', 's.yaml', '--out', 'out']]) {
      const result = runCli(args, cwd);
      assertExit(result, 0);
      assert.equal(existsSync(marker), false, `${args[0]} loaded a package of the working directory's node_modules`);
      assert.doesNotMatch(result.stdout, /evil/);
    }
    assert.match(runCli(['plugins'], cwd).stdout, /@srnn\/weightwise/, 'the plugins srnn depends on are found');
  });

  test("only @srnn/cli's dependencies and the installing project's dependencies and devDependencies are discovered", () => {
    const project = tempDir('srnn-project-');
    const modules = join(project, 'node_modules');
    const ignored = join(project, 'NOT-LOADED');
    mkdirSync(join(modules, '@srnn', 'core'), { recursive: true });
    writeFileSync(join(modules, '@srnn', 'core', 'package.json'), JSON.stringify({ name: '@srnn/core' }));
    mkdirSync(join(modules, '@srnn', 'cli'), { recursive: true });
    writeFileSync(
      join(modules, '@srnn', 'cli', 'package.json'),
      JSON.stringify({ name: '@srnn/cli', dependencies: { '@srnn/shipped': '1', '@srnn/core': '1' }, devDependencies: { 'cli-dev-only': '1' } }),
    );
    for (const name of ['@srnn/shipped', 'project-dep', 'project-dev-dep', 'cli-dev-only', 'undeclared']) fakePlugin(project, name, ignored);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'project', dependencies: { 'project-dep': '1', 'not-installed': '1' }, devDependencies: { 'project-dev-dep': '1' } }));
    const found = discoverInstalledPlugins(join(modules, '@srnn', 'core'));
    assert.deepEqual(
      found.map((ref) => ref.name),
      ['@srnn/shipped', 'project-dep', 'project-dev-dep'],
    );
    assert.equal(found[0].path, join(modules, '@srnn', 'shipped', 'module.js'));
    assert.equal(existsSync(ignored), false, 'discovery reads package.json files only');
  });
});
