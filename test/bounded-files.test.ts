import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { CLI_MAIN, smallScenario, tempDir, writeFile } from './support/helpers';

/**
 * Files a scenario names (`{ file }` references), the scenario file itself and a results
 * directory's scenario.resolved.yaml are read bounded: a device, a FIFO or a directory is refused
 * without reading from it, a file over its key's limit is refused from its size, and no error
 * quotes the content of a file it could not parse. Every case exits 2, located, and never hangs.
 */

const SECRET = 'root:$6$Zm9vYmFyc2VjcmV0:19000:0:99999:7:::';

/** srnn with a timeout: a hang (reading a FIFO or /dev/zero) fails the test instead of blocking it. */
function srnn(args: readonly string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI_MAIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, SRNN_DEBUG: '' } });
  assert.equal(result.error, undefined, `srnn ${args.join(' ')} did not finish: ${result.error}`);
  return { status: result.status, stderr: result.stderr, all: `exit ${result.status}\n${result.stdout}\n${result.stderr}` };
}

/** Bad files, by what they are, with the reason expected in the message. */
function badFiles(dir: string, overLimit: { name: string; bytes: number }): { file: string; reason: RegExp }[] {
  const fifo = join(dir, 'a-fifo');
  execFileSync('mkfifo', [fifo]);
  mkdirSync(join(dir, 'a-directory'));
  writeFileSync(join(dir, 'shadow'), `${SECRET}\n`);
  // a sparse file: its size is known from stat, nothing needs to be written or read
  writeFileSync(join(dir, overLimit.name), '');
  truncateSync(join(dir, overLimit.name), overLimit.bytes);
  return [
    { file: '/dev/zero', reason: /not a regular file \(a device\)/ },
    { file: fifo, reason: /not a regular file \(a FIFO\)/ },
    { file: join(dir, 'a-directory'), reason: /not a regular file \(a directory\)/ },
    { file: join(dir, overLimit.name), reason: /larger than the limit of [\d.]+ (MiB|bytes)/ },
    { file: join(dir, 'shadow'), reason: /shadow:1:1: not JSON \(unexpected character; expected a value\)/ },
  ];
}

describe('bounded reads of files a scenario names', () => {
  let dir: string;
  let bad: { file: string; reason: RegExp }[];

  before(() => {
    dir = tempDir('srnn-bounded-files-');
    bad = badFiles(dir, { name: 'huge.json', bytes: 300 * 1024 * 1024 });
  });

  /** Runs a scenario whose `line` (1-based) names `file`; expects exit 2 located at that line with the reason. */
  function expectRefused(name: string, lines: string[], line: number, key: string, { reason }: { file: string; reason: RegExp }): void {
    writeFile(dir, name, lines.join('\n') + '\n');
    const result = srnn(['run', name, '--out', `results/${name}`], dir);
    assert.equal(result.status, 2, result.all);
    // (the run's first progress line may come before it: these files are read as the run starts)
    assert.match(result.stderr, new RegExp(`^srnn: ${name.replace('.', '\\.')}:${line}:\\d+: ${key.replace(/\./g, '\\.')}: `, 'm'), result.all);
    assert.match(result.stderr, reason, result.all);
    assert.ok(!result.stderr.includes('Zm9v') && !result.stderr.includes('root'), `the message quotes the file: ${result.stderr}`);
  }

  test('population.init: { file } — device, FIFO, directory, over the limit (stated), not JSON (not quoted)', () => {
    bad.forEach((b, i) => {
      const lines = ['seed: 1', 'architecture: { type: weightwise }', `population: { size: 2, init: { file: ${JSON.stringify(b.file)} } }`, 'experiment: { type: self-train, steps: 1 }'];
      expectRefused(`init-${i}.yaml`, lines, 3, 'population.init.file', b);
    });
    writeFileSync(join(dir, 'bigger.json'), ' '.repeat(2 * 1024 * 1024));
    writeFile(dir, 'limit.yaml', ['architecture: { type: weightwise }', 'population: { size: 2, init: { file: bigger.json } }', 'experiment: { type: self-train, steps: 1 }', ''].join('\n'));
    assert.match(srnn(['run', 'limit.yaml'], dir).stderr, /larger than the limit of 1\.00 MiB \(2 particles × \(14 weights × 48 bytes \+ 256\) \+ 1 MiB\)/);
  });

  test('an analysis experiment’s fixpoints: { file }', () => {
    bad.forEach((b, i) => {
      const lines = [
        'seed: 1',
        'architecture: { type: weightwise }',
        'population: { size: 1 }',
        `experiment: { type: robustness, fixpoints: { file: ${JSON.stringify(b.file)} }, trials: 1, maxSteps: 2 }`,
      ];
      expectRefused(`fixpoints-${i}.yaml`, lines, 4, 'experiment.fixpoints.file', b);
    });
  });

  test('a soup’s clones: { parents: { file } }', () => {
    bad.forEach((b, i) => {
      const lines = [
        'seed: 1',
        'architecture: { type: weightwise }',
        'population: { size: 2 }',
        'experiment:',
        '  type: soup',
        '  epochs: 1',
        `  clones: { parents: { file: ${JSON.stringify(b.file)} }, take: 1, count: 1, levels: [0] }`,
        '  interactions: [{ type: attack, rate: 0 }]',
      ];
      expectRefused(`parents-${i}.yaml`, lines, 7, 'experiment.clones.parents.file', b);
    });
  });
});

describe('bounded reads of scenario files', () => {
  let dir: string;
  let bad: { file: string; reason: RegExp }[];

  before(() => {
    dir = tempDir('srnn-bounded-scenarios-');
    bad = badFiles(dir, { name: 'huge.yaml', bytes: 5 * 1024 * 1024 }).slice(0, 4);
  });

  test('validate and run refuse a device, FIFO, directory or a file over 4 MiB as the scenario, at 1:1', () => {
    for (const { file, reason } of bad) {
      for (const command of ['validate', 'run']) {
        const result = srnn([command, file], dir);
        assert.equal(result.status, 2, result.all);
        assert.match(result.stderr, new RegExp(`^srnn: ${file.replace(/[.$]/g, '\\$&')}:1:1: cannot read scenario file: `), result.all);
        assert.match(result.stderr, reason, result.all);
      }
    }
    assert.match(srnn(['validate', join(dir, 'huge.yaml')], dir).stderr, /larger than the limit of 4\.00 MiB \(of a scenario file\): 5\.00 MiB/);
  });

  test('a text file that is no scenario (shadow-like lines) is refused located, without echoing its lines as keys', () => {
    writeFileSync(join(dir, 'not-a-scenario'), `${SECRET}\nbob:$6$c2VjcmV0Mg:19000:0:99999:7:::\nname: fine\n`);
    const result = srnn(['validate', 'not-a-scenario'], dir);
    assert.equal(result.status, 2, result.all);
    assert.match(result.stderr, /^srnn: not-a-scenario:1:1: /, result.all);
    assert.match(result.stderr, /unknown key \(\d+ characters, not shown: not a key name\)/, result.all);
    assert.ok(!result.all.includes('Zm9vYmFyc2VjcmV0') && !result.all.includes('c2VjcmV0Mg'), result.all);
    // a key somebody typed is still named
    writeFileSync(join(dir, 'typo.yaml'), 'sede: 1\n');
    assert.match(srnn(['validate', 'typo.yaml'], dir).stderr, /unknown key "sede"/);
  });

  test('plot refuses a results directory whose scenario.resolved.yaml is a FIFO', () => {
    writeFile(dir, 's.yaml', smallScenario({ size: 2, steps: 2 }));
    mkdirSync(join(dir, 'fake-results'));
    execFileSync('mkfifo', [join(dir, 'fake-results', 'scenario.resolved.yaml')]);
    const result = srnn(['plot', 'fake-results'], dir);
    assert.equal(result.status, 2, result.all);
    assert.match(result.stderr, /fake-results\/scenario\.resolved\.yaml:1:1: cannot read scenario file: not a regular file \(a FIFO\)/);
  });
});
