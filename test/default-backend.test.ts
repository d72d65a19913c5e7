import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CLI_MAIN, readJson, runCli, tempDir, writeFile } from './support/helpers';

/**
 * A scenario without `backend` runs on the fastest backend that covers its network — wasm-f32 for
 * the weightwise shapes its kernels cover (where WebAssembly SIMD runs), js for any other — and
 * its results say which ran; `backend: js` keeps js's float64 numerics.
 */

const SMALL = (architecture: string) => `seed: 11
architecture: ${architecture}
population: { size: 40 }
experiment: { type: self-train, steps: 30, censusEvery: 10 }
`;

const SWEEP = `seed: 12
architecture: { type: weightwise }
population: { size: 20 }
experiment: { type: self-train, steps: 10 }
sweep: { architecture.activation: [linear, tanh] }
`;

const CHECKPOINTED = `seed: 13
architecture: { type: weightwise }
population: { size: 20000 }
experiment: { type: self-train, steps: 1500, censusEvery: 500 }
checkpoint: { every: 100 }
`;

interface Resolved {
  backend?: string;
  srnn?: { backend: string };
}

const resolvedOf = (dir: string): Resolved => parseYaml(readFileSync(join(dir, 'scenario.resolved.yaml'), 'utf8')) as Resolved;

function run(dir: string, args: readonly string[]): void {
  const result = runCli(['run', ...args], dir);
  assert.equal(result.status, 0, result.stderr);
}

describe('the default backend (a scenario without backend)', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-default-backend-');
    writeFile(dir, 'linear.yaml', SMALL('{ type: weightwise }'));
    writeFile(dir, 'tanh.yaml', SMALL('{ type: weightwise, activation: tanh }'));
    writeFile(dir, 'wide.yaml', SMALL('{ type: weightwise, width: 6 }'));
    writeFile(dir, 'recurrent.yaml', SMALL('{ type: recurrent }'));
    writeFile(dir, 'recurrent-tanh.yaml', SMALL('{ type: recurrent, activation: tanh }'));
    writeFile(dir, 'sweep.yaml', SWEEP);
    run(dir, ['linear.yaml', '--out', 'default']);
    run(dir, ['linear.yaml', '--out', 'wasm-f32', '--backend', 'wasm-f32']);
    run(dir, ['linear.yaml', '--out', 'js', '--backend', 'js']);
  });

  test('a covered weightwise net runs on wasm-f32, records it, and gives the numbers of --backend wasm-f32', () => {
    const resolved = resolvedOf(join(dir, 'default'));
    assert.equal(resolved.backend, 'wasm-f32');
    assert.equal(resolved.srnn?.backend, 'WebAssembly SIMD f32x4 (float32 arithmetic)');
    assert.equal(readJson<{ backend: string }>(join(dir, 'default', 'summary.json')).backend, 'WebAssembly SIMD f32x4 (float32 arithmetic)');
    for (const file of ['weights.json', 'census.csv']) {
      assert.equal(readFileSync(join(dir, 'default', file), 'utf8'), readFileSync(join(dir, 'wasm-f32', file), 'utf8'), `${file}: as --backend wasm-f32`);
    }
  });

  test('backend js keeps the float64 numerics: other weights, recorded as js', () => {
    assert.equal(resolvedOf(join(dir, 'js')).backend, 'js');
    assert.equal(resolvedOf(join(dir, 'js')).srnn?.backend, 'js');
    assert.notEqual(readFileSync(join(dir, 'js', 'weights.json'), 'utf8'), readFileSync(join(dir, 'default', 'weights.json'), 'utf8'));
  });

  test('re-running the recorded scenario.resolved.yaml of a default run gives the same weights', () => {
    run(join(dir, 'default'), ['scenario.resolved.yaml', '--out', join(dir, 'again')]);
    assert.equal(readFileSync(join(dir, 'again', 'weights.json'), 'utf8'), readFileSync(join(dir, 'default', 'weights.json'), 'utf8'));
  });

  for (const [name, why] of [
    ['tanh', 'an activation the wasm kernels do not cover'],
    ['wide', 'more than 64 weights'],
    ['recurrent-tanh', 'a recurrent activation the wasm kernels do not cover'],
  ] as const) {
    test(`${name}: ${why} runs on js, and says so (validate too)`, () => {
      run(dir, [`${name}.yaml`, '--out', name]);
      assert.deepEqual([resolvedOf(join(dir, name)).backend, resolvedOf(join(dir, name)).srnn?.backend], ['js', 'js']);
      const validate = runCli(['validate', `${name}.yaml`], dir);
      assert.equal(validate.status, 0, validate.stderr);
      assert.match(validate.stdout, /, backend js \(default for this network\)/);
    });
  }

  test('a covered recurrent net runs on wasm-f32 (f32x4), records it, and gives the numbers of --backend wasm-f32; --backend wasm gives the bits of js', () => {
    run(dir, ['recurrent.yaml', '--out', 'recurrent']);
    run(dir, ['recurrent.yaml', '--out', 'recurrent-f32', '--backend', 'wasm-f32']);
    run(dir, ['recurrent.yaml', '--out', 'recurrent-wasm', '--backend', 'wasm']);
    run(dir, ['recurrent.yaml', '--out', 'recurrent-js', '--backend', 'js']);
    const resolved = resolvedOf(join(dir, 'recurrent'));
    assert.deepEqual([resolved.backend, resolved.srnn?.backend], ['wasm-f32', 'WebAssembly SIMD f32x4 (float32 arithmetic)']);
    for (const file of ['weights.json', 'census.csv']) {
      assert.equal(readFileSync(join(dir, 'recurrent', file), 'utf8'), readFileSync(join(dir, 'recurrent-f32', file), 'utf8'), `${file}: as --backend wasm-f32`);
      assert.equal(readFileSync(join(dir, 'recurrent-wasm', file), 'utf8'), readFileSync(join(dir, 'recurrent-js', file), 'utf8'), `${file}: --backend wasm as --backend js`);
    }
    assert.notEqual(readFileSync(join(dir, 'recurrent', 'weights.json'), 'utf8'), readFileSync(join(dir, 'recurrent-js', 'weights.json'), 'utf8'), 'float32 arithmetic: other last bits than js');
    assert.match(runCli(['validate', 'recurrent.yaml'], dir).stdout, /, backend wasm-f32 \(default for this network\)/);
  });

  test('validate names the default backend; an explicit one is named as it is', () => {
    assert.match(runCli(['validate', 'linear.yaml'], dir).stdout, /^linear\.yaml: valid \(40 × weightwise, self-train, backend wasm-f32 \(default for this network\)\)$/m);
    writeFile(dir, 'named.yaml', `backend: js\n${SMALL('{ type: weightwise }')}`);
    assert.match(runCli(['validate', 'named.yaml'], dir).stdout, /, backend js\)$/m);
  });

  test('a sweep decides each run’s backend by its network, and every run records its own', () => {
    assert.match(runCli(['validate', 'sweep.yaml'], dir).stdout, /backend wasm-f32, js \(default for each network\), a sweep of 2 runs/);
    run(dir, ['sweep.yaml', '--out', 'sweep', '--workers', '2']);
    const runs = readdirSync(join(dir, 'sweep', 'runs')).sort();
    assert.deepEqual(
      runs.map((id) => resolvedOf(join(dir, 'sweep', 'runs', id)).backend),
      ['wasm-f32', 'js'],
    );
    const sweep = resolvedOf(join(dir, 'sweep'));
    assert.equal(sweep.backend, undefined, 'the base leaves it to each run');
    assert.equal(sweep.srnn?.backend, 'WebAssembly SIMD f32x4 (float32 arithmetic); js', 'every engine that ran');
  });

  test('--backend names the default in its help and in its error', () => {
    assert.match(
      runCli(['run', '--help'], dir).stdout.replace(/\s+/g, ' '),
      /without either: the fastest covering the network — where WebAssembly SIMD runs, wasm-f32 for weightwise linear\/relu nets up to 64 weights and recurrent ones up to 256, wasm for aggregating and fft ones up to 256 — else js/,
    );
    const bad = runCli(['run', 'linear.yaml', '--backend', 'nope'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--backend nope: expected one of js, tfjs, wasm, wasm-f32 \(or no --backend: the scenario's, else the default for its network\)/);
    const paper = runCli(['paper', '--backend', 'nope', '--out', 'never'], dir);
    assert.equal(paper.status, 2, 'srnn paper --backend: the same check');
    assert.match(paper.stderr, /--backend nope: expected one of js, tfjs, wasm, wasm-f32/);
  });
});

/** The cursor of the latest checkpoint in `<out>.partial`, or -1. */
function checkpointCursor(partial: string): number {
  try {
    return (JSON.parse(readFileSync(join(partial, '.checkpoint', 'index.json'), 'utf8')) as { cursor: number }).cursor;
  } catch {
    return -1;
  }
}

describe('a checkpointed run on the default backend, killed and resumed', () => {
  test('resumes on the backend it started on and ends as the uninterrupted run', async () => {
    const dir = tempDir('srnn-default-backend-resume-');
    writeFile(dir, 'long.yaml', CHECKPOINTED);
    run(dir, ['long.yaml', '--out', 'full']);
    const finished = await new Promise<boolean>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_MAIN, 'run', 'long.yaml', '--out', 'cut'], { cwd: dir, stdio: 'ignore' });
      const poll = setInterval(() => {
        if (checkpointCursor(join(dir, 'cut.partial')) >= 200) child.kill('SIGKILL');
      }, 5);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearInterval(poll);
        resolve(code === 0);
      });
    });
    assert.equal(finished, false, 'killed before its end (1 500 steps, killed after step 200)');
    const recorded = JSON.parse(readFileSync(join(dir, 'cut.partial', '.checkpoint', 'run.json'), 'utf8')) as { scenario: Resolved };
    assert.equal(recorded.scenario.backend, 'wasm-f32', 'the checkpoint records the backend decided for the run');
    const resumed = runCli(['resume', 'cut'], dir);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(resolvedOf(join(dir, 'cut')).backend, 'wasm-f32');
    for (const file of ['weights.json', 'census.csv', 'scenario.resolved.yaml']) {
      assert.equal(readFileSync(join(dir, 'cut', file), 'utf8'), readFileSync(join(dir, 'full', file), 'utf8'), `${file} as the uninterrupted run's`);
    }
  });
});
