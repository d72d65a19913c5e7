import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { sweepDir, tempDir } from '@srnn/plot/testing';

const CLI_MAIN = join(__dirname, '..', 'main.js');
const FIGURES = ['census-over-time', 'loss'].flatMap((name) => [`${name}.svg`, `${name}.png`, `${name}.vl.json`]);

function srnn(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI_MAIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, all: `exit ${result.status}\n${result.stdout}\n${result.stderr}` };
}

describe('srnn plot (end to end)', () => {
  let dir: string;
  let out: string;
  const originals: Record<string, Buffer> = {};

  before(() => {
    dir = tempDir('srnn-plot-cli-');
    writeFileSync(
      join(dir, 'tiny.yaml'),
      ['name: tiny', 'seed: 3', 'architecture: { type: weightwise }', 'population: { size: 6 }', 'experiment: { type: self-train, steps: 30, censusEvery: 5 }', ''].join('\n'),
    );
    const run = srnn(['run', 'tiny.yaml', '--out', 'results/tiny'], dir);
    assert.equal(run.status, 0, run.all);
    out = join(dir, 'results', 'tiny');
    for (const name of FIGURES) originals[name] = readFileSync(join(out, name));
  });

  test('srnn run draws the automatic figures into the results directory', () => {
    assert.deepEqual(readdirSync(out).sort(), ['.srnn-results', 'census.csv', 'scenario.resolved.yaml', 'summary.json', 'weights.json', ...FIGURES].sort());
  });

  test('after the figures are deleted, plot redraws them: identical SVGs and specs, valid PNGs, and lists the files', () => {
    for (const name of FIGURES) rmSync(join(out, name));
    const result = srnn(['plot', 'results/tiny'], dir);
    assert.equal(result.status, 0, result.all);
    assert.deepEqual(result.stdout.trim().split('\n').sort(), FIGURES.map((name) => join('results', 'tiny', name)).sort());
    for (const name of FIGURES.filter((n) => !n.endsWith('.png'))) assert.equal(readFileSync(join(out, name), 'utf8'), originals[name].toString('utf8'), name);
    for (const name of FIGURES.filter((n) => n.endsWith('.png'))) assert.deepEqual(readFileSync(join(out, name)).subarray(0, 8), originals[name].subarray(0, 8));
    assert.deepEqual(readdirSync(out).sort(), ['.srnn-results', 'census.csv', 'scenario.resolved.yaml', 'summary.json', 'weights.json', ...FIGURES].sort(), 'no temporary files left');
  });

  test('plot of a sweep draws the figures its scenario lists and those of each run under runs/', () => {
    const sweep = sweepDir({ figures: ['{ type: census-bars, x: architecture.type }'], runDirs: 2 });
    const result = srnn(['plot', sweep.dir], dir);
    assert.equal(result.status, 0, result.all);
    const written = result.stdout.trim().split('\n');
    assert.deepEqual(
      written.slice(0, 3),
      ['census-bars.svg', 'census-bars.png', 'census-bars.vl.json'].map((f) => join(sweep.dir, f)),
    );
    const runs = readdirSync(join(sweep.dir, 'runs'));
    assert.equal(runs.length, 2);
    assert.equal(written.length, 3 + runs.length * 6, 'census over time and loss for every run');
    assert.ok(readdirSync(join(sweep.dir, 'runs', runs[0])).includes('census-over-time.svg'));
  });

  test('a directory that is not a results directory exits 2 and says so', () => {
    const result = srnn(['plot', '.'], tempDir('srnn-plot-empty-'));
    assert.equal(result.status, 2, result.all);
    assert.match(result.stderr, /srnn: \.: not a results directory \(no scenario\.resolved\.yaml\)/);
    const missing = srnn(['plot', 'no/such/dir'], dir);
    assert.equal(missing.status, 2, missing.all);
    assert.match(missing.stderr, /no such directory/);
  });
});
