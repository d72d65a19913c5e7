import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { describeCli, FIXTURES, readJson, runCli, tempDir, writeFile, type CliResult, type WeightsJson } from './support/helpers';

/**
 * A new backend is one package: test/fixtures/reference-backend registers the backend `reference`
 * and a KernelProvider for weightwise, and edits no network plugin. Selected with `backend:`, it
 * runs a scenario end to end; a type it has no kernels for is a located error of the scenario.
 */
const PLUGIN = join(FIXTURES, 'reference-backend', 'index.js');

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

const scenario = (backend: string, type = 'weightwise') =>
  ['seed: 3', `backend: ${backend}`, `architecture: { type: ${type}, activation: tanh }`, 'population: { size: 12 }', 'experiment: { type: self-application, steps: 6 }', ''].join('\n');

const weightsOf = (dir: string) => readJson<WeightsJson>(join(dir, 'weights.json')).particles.map((p) => p.weights.map(Number));

describe('a backend from one package (test/fixtures/reference-backend)', () => {
  let dir: string;
  before(() => {
    dir = tempDir('srnn-backend-extension-');
    writeFile(dir, 'reference.yaml', scenario('reference'));
    writeFile(dir, 'js.yaml', scenario('js'));
  });

  test('srnn plugins lists it with the network types it has kernels for', () => {
    const result = runCli(['plugins', '--plugin', PLUGIN], dir);
    assertExit(result, 0);
    assert.match(result.stdout, /^ {2}reference +kernels for: weightwise$/m);
    assert.match(result.stdout, /^ {2}js +kernels for: .*\bweightwise\b/m);
  });

  test('backend: reference runs a weightwise scenario end to end and agrees with the js backend', () => {
    assertExit(runCli(['run', 'reference.yaml', '--out', 'out/reference', '--plugin', PLUGIN], dir), 0);
    assertExit(runCli(['run', 'js.yaml', '--out', 'out/js'], dir), 0);
    const summary = readJson<{ backend: string }>(join(dir, 'out', 'reference', 'summary.json'));
    assert.equal(summary.backend, 'reference (float64 test backend)');
    assert.equal(readFileSync(join(dir, 'out', 'reference', 'census.csv'), 'utf8'), readFileSync(join(dir, 'out', 'js', 'census.csv'), 'utf8'));
    const [reference, js] = [weightsOf(join(dir, 'out', 'reference')), weightsOf(join(dir, 'out', 'js'))];
    assert.equal(reference.length, 12);
    reference.forEach((weights, p) => weights.forEach((w, i) => assert.ok(Math.abs(w - js[p][i]) <= 1e-5 * Math.max(1, Math.abs(w)), `particle ${p}, weight ${i}: ${w} vs ${js[p][i]}`)));
    assert.ok(
      reference.flat().some((w) => w !== 0 && Number.isFinite(w)),
      'some networks are alive: the comparison means something',
    );
  });

  test('validate: a type the backend has no kernels for is an error at `backend`, naming the backends that have them', () => {
    writeFile(dir, 'recurrent.yaml', scenario('reference', 'recurrent'));
    const result = runCli(['validate', 'recurrent.yaml', '--plugin', PLUGIN], dir);
    assertExit(result, 2);
    assert.equal(
      result.stderr.trim(),
      `srnn: recurrent.yaml:2:10: backend: backend "reference" has no kernels for architecture "recurrent" (backends with recurrent kernels: js, tfjs, wasm, wasm-f32)`,
    );
  });

  test('run --backend: the same check, before anything runs', () => {
    writeFile(dir, 'recurrent-js.yaml', scenario('js', 'recurrent'));
    const result = runCli(['run', 'recurrent-js.yaml', '--backend', 'reference', '--out', 'out/never', '--plugin', PLUGIN], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /^srnn: recurrent-js\.yaml:2:10: backend: backend "reference" has no kernels for architecture "recurrent"/);
  });

  test('a sweep over architecture types: the error names the type without kernels', () => {
    writeFile(dir, 'sweep.yaml', [scenario('reference').trimEnd(), 'sweep:', '  architecture.type: [weightwise, fft]', ''].join('\n'));
    const result = runCli(['validate', 'sweep.yaml', '--plugin', PLUGIN], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /^srnn: sweep\.yaml:2:10: backend: backend "reference" has no kernels for architecture "fft" \(backends with fft kernels: js, tfjs, wasm\)/);
  });
});
