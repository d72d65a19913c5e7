import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { assertSameResults, checkpointCursor, resume, runAndKill, tearNextCheckpoint, untimed } from './support/checkpoints';
import { CLI_MAIN, failingPluginFrom, runCli, tempDir, writeFile } from './support/helpers';

/**
 * Runs with checkpoints killed with SIGKILL at random points after their first checkpoint, then
 * `srnn resume`d, give results directories identical to an uninterrupted run's, file by file
 * (timing fields aside) — also when the kill hit a checkpoint being written.
 */

const SOUP = `seed: 3
architecture: { type: weightwise }
population: { size: 600 }
experiment:
  type: soup
  epochs: 30
  interactions:
    - { type: attack, rate: 0.1 }
    - { type: learn-from, rate: 0.1, severity: 1 }
    - { type: melt, rate: 0.01 }
    - { type: self-train, steps: 5, lr: 0.04, momentum: 0.5 }
  respawn: { divergent: true, zero: true }
  censusEvery: 5
  snapshotEvery: 10
checkpoint: { every: 2 }
output: { events: true }
`;

const CLONES_SOUP = `seed: 4
architecture: { type: weightwise }
population: { size: 300 }
experiment:
  type: soup
  epochs: 30
  clones: { parents: { train: { steps: 1500, lr: 0.04 } }, take: 2, count: 5, levels: [1.0e-2, 1.0e-3], distance: mim }
  interactions:
    - { type: attack, rate: 0.05 }
    - { type: self-train, steps: 10, lr: 0.04 }
  censusEvery: 3
checkpoint: { every: 3 }
`;

const SELF_TRAIN = `seed: 5
architecture: { type: weightwise }
population: { size: 300 }
experiment: { type: self-train, steps: 200, lr: 0.004, momentum: 0.9, batch: 1, censusEvery: 20 }
checkpoint: { every: 10 }
output: { events: true }
`;

const SELF_APPLICATION = `seed: 6
architecture: { type: weightwise, activation: tanh }
population: { size: 40000 }
experiment: { type: self-application, steps: 60, censusEvery: 1 }
checkpoint: { every: 1 }
`;

const MIXED = `seed: 7
architecture: { type: weightwise }
population: { size: 800 }
experiment: { type: mixed, rounds: 30, trainsPerApplication: 10, momentum: 0.5 }
checkpoint: { every: 2 }
`;

describe('checkpoints: a run killed (SIGKILL) after a checkpoint and resumed ends as an uninterrupted run', () => {
  let dir: string;
  const kinds = [
    { name: 'soup', text: SOUP, every: 2, units: 30, kills: 2 },
    { name: 'soup-clones', text: CLONES_SOUP, every: 3, units: 30, kills: 1 },
    { name: 'self-train', text: SELF_TRAIN, every: 10, units: 200, kills: 1 },
    // tanh nets self-applied are all zero after a few steps: the run ends there
    { name: 'self-application', text: SELF_APPLICATION, every: 1, units: 4, kills: 1 },
    { name: 'mixed', text: MIXED, every: 2, units: 30, kills: 1 },
  ];

  before(() => {
    dir = tempDir('srnn-checkpoint-');
    for (const kind of kinds) {
      writeFile(dir, `${kind.name}.yaml`, kind.text);
      const result = runCli(['run', `${kind.name}.yaml`, '--out', `${kind.name}-full`], dir);
      assert.equal(result.status, 0, result.stderr);
    }
  });

  for (const kind of kinds) {
    test(`${kind.name}: ${kind.kills} kill(s) at random checkpoints, resume, every file identical`, async () => {
      let resumed = 0;
      for (let k = 0; k < kind.kills; k++) {
        const out = `${kind.name}-cut-${k}`;
        const target = kind.every * (1 + Math.floor(Math.random() * (kind.units / kind.every - 2)));
        const { killedAt, finished } = await runAndKill(dir, `${kind.name}.yaml`, out, target);
        if (finished) continue; // it ended before the kill: nothing to resume (a loaded machine)
        assert.ok(killedAt >= kind.every, `killed after checkpoint ${killedAt}`);
        if (resumed === 0) {
          const refused = runCli(['run', `${kind.name}.yaml`, '--out', out], dir);
          assert.equal(refused.status, 2, refused.stderr);
          assert.match(refused.stderr, new RegExp(`holds an unfinished run of ${out} .*srnn resume ${out}`));
        }
        await resume(dir, out);
        assertSameResults(join(dir, `${kind.name}-full`), join(dir, out));
        resumed++;
      }
      assert.ok(resumed > 0, 'at least one run was killed before its end');
    });
  }

  test('a kill while a checkpoint is written: the leftovers of every stage of the write are ignored', async () => {
    const out = 'soup-torn';
    const { finished } = await runAndKill(dir, 'soup.yaml', out, 10);
    assert.equal(finished, false, 'killed before the end');
    tearNextCheckpoint(join(dir, `${out}.partial`));
    await resume(dir, out);
    assertSameResults(join(dir, 'soup-full'), join(dir, out));
  });

  test('Ctrl-C keeps the partial directory and says how to resume; a second resume finds nothing', async () => {
    const out = 'soup-int';
    const child = spawn(process.execPath, [CLI_MAIN, 'run', 'soup.yaml', '--out', out], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = setInterval(() => {
      if (checkpointCursor(join(dir, `${out}.partial`)) >= 4) child.kill('SIGINT');
    }, 5);
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    assert.equal(status, 130, stderr);
    assert.match(stderr, new RegExp(`the unfinished run is kept in .*${out}\\.partial \\(checkpoint after \\d+ epochs\\); continue it with: srnn resume ${out}\\n`));
    await resume(dir, out);
    assertSameResults(join(dir, 'soup-full'), join(dir, out));
    const again = runCli(['resume', out], dir);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /nothing to resume/);
  });

  test('resume refuses a checkpoint of another scenario, naming it', async () => {
    const out = 'soup-other';
    await runAndKill(dir, 'soup.yaml', out, 6);
    const run = join(dir, `${out}.partial`, '.checkpoint', 'run.json');
    const recorded = JSON.parse(readFileSync(run, 'utf8')) as { scenario: { seed: number } };
    recorded.scenario.seed = 99;
    writeFileSync(run, JSON.stringify(recorded));
    const result = runCli(['resume', out], dir);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /cannot resume .*: it belongs to another scenario/);
  });

  test('validate names the checkpoint unit, and warns when the experiment has none (which then runs without checkpoints)', () => {
    assert.match(runCli(['validate', 'soup.yaml'], dir).stdout, /; checkpoint every 2 epochs\n$/);
    const plugin = failingPluginFrom(dir);
    writeFile(dir, 'plain.yaml', `plugins: [${plugin}]\narchitecture: { type: weightwise }\npopulation: { size: 2 }\nexperiment: { type: fail-midway, fail: false }\ncheckpoint: { every: 1 }\n`);
    const validated = runCli(['validate', 'plain.yaml', '--allow-plugins'], dir);
    assert.equal(validated.status, 0, validated.stderr);
    assert.match(validated.stdout, /\nwarning: experiment fail-midway does not support checkpoints: checkpoint is ignored, the run cannot be resumed\n$/);
    const ran = runCli(['run', 'plain.yaml', '--allow-plugins', '--out', 'plain'], dir);
    assert.equal(ran.status, 0, ran.stderr);
    assert.match(ran.stderr, /srnn: warning: experiment fail-midway does not support checkpoints/);
    assert.equal(existsSync(join(dir, 'plain.partial')), false);
  });

  test('--checkpoint-every N on a scenario without checkpoint: as checkpoint: { every: N }', async () => {
    writeFile(dir, 'soup-plain.yaml', SOUP.replace('checkpoint: { every: 2 }\n', ''));
    const out = 'soup-flag';
    const child = spawn(process.execPath, [CLI_MAIN, 'run', 'soup-plain.yaml', '--out', out, '--checkpoint-every', '2'], { cwd: dir, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (checkpointCursor(join(dir, `${out}.partial`)) >= 8) child.kill('SIGKILL');
    }, 5);
    await new Promise((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    await resume(dir, out);
    // the scenario holds `checkpoint` at another place (an override comes last): its text differs, the results do not
    const resolved = readFileSync(join(dir, out, 'scenario.resolved.yaml'), 'utf8');
    assert.match(resolved, /\ncheckpoint:\n {2}every: 2\n/);
    for (const name of ['census.csv', 'weights.json', 'snapshots.f32', 'snapshots.json']) assert.deepEqual(readFileSync(join(dir, out, name)), readFileSync(join(dir, 'soup-full', name)), name);
    assert.equal(untimed('summary.json', readFileSync(join(dir, out, 'summary.json'))), untimed('summary.json', readFileSync(join(dir, 'soup-full', 'summary.json'))));
  });
});
