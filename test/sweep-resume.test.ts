import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { CLI_MAIN, runCli, tempDir, writeFile } from './support/helpers';
import { assertSameResults, files, spawnAndKill } from './support/checkpoints';

/**
 * Sweeps with checkpoints killed with SIGKILL at random points after the first checkpoint of one
 * of their runs, then `srnn resume`d (with 1 and 2 workers), give results directories identical
 * to an uninterrupted sweep's, file by file (timing fields aside): the runs that had finished are
 * kept, the others continue from their own checkpoints or start again.
 */

const EPOCHS = 16;
const EVERY = 2;

const SWEEP = `seed: 11
architecture: { type: weightwise }
population: { size: 100 }
experiment:
  type: soup
  epochs: ${EPOCHS}
  interactions:
    - { type: attack, rate: 0.1 }
    - { type: learn-from, rate: 0.1, severity: 1 }
    - { type: self-train, steps: 5, lr: 0.04 }
  censusEvery: 4
sweep:
  experiment.interactions.0.rate: [0.05, 0.2]
replicates: 2
checkpoint: { every: ${EVERY} }
output: { events: true }
figures: [{ type: fraction-lines, class: zero }]
`;

const RUNS = 4;

/** How far a sweep's partial directory has come, in checkpoints: those of its finished runs, plus each unfinished run's latest. */
function progressOf(partial: string): number {
  let finished: number;
  try {
    finished = readdirSync(join(partial, '.sweep', 'finished')).filter((name) => name.endsWith('.json') && !name.startsWith('.')).length;
  } catch {
    return 0;
  }
  let cursors = 0;
  try {
    for (const run of readdirSync(join(partial, 'runs'))) {
      try {
        cursors += (JSON.parse(readFileSync(join(partial, 'runs', run, '.checkpoint', 'index.json'), 'utf8')) as { cursor: number }).cursor / EVERY;
      } catch {
        // no checkpoint (yet, or any more: finished)
      }
    }
  } catch {
    // no run yet
  }
  return finished * (EPOCHS / EVERY) + cursors;
}

/** Starts the sweep, SIGKILLs it once it has come `target` checkpoints far (after a random further delay), resolves when it is dead. */
function sweepAndKill(dir: string, out: string, workers: number, target: number): Promise<{ killedAt: number; finished: boolean }> {
  return spawnAndKill(dir, ['run', 'sweep.yaml', '--out', out, '--workers', String(workers)], () => progressOf(join(dir, `${out}.partial`)), target);
}

function resume(dir: string, out: string, workers: number): void {
  const result = runCli(['resume', out, '--workers', String(workers)], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /srnn: resuming the sweep /);
  assert.match(result.stdout, new RegExp(`^sweep of ${RUNS} runs .*\\n[^]*results: ${out}\\n$`));
  assert.equal(existsSync(join(dir, `${out}.partial`)), false, 'the partial directory is gone');
}

describe('checkpoints: a sweep killed (SIGKILL) and resumed ends as an uninterrupted sweep', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-sweep-resume-');
    writeFile(dir, 'sweep.yaml', SWEEP);
    const result = runCli(['run', 'sweep.yaml', '--out', 'full', '--workers', '1'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(existsSync(join(dir, 'full', '.sweep')), false, 'no record left in the finished sweep');
    assert.ok(existsSync(join(dir, 'full', 'fraction-lines.svg')), 'the sweep draws its figure');
  });

  for (const workers of [1, 2]) {
    test(`--workers ${workers}: a kill at a random point, plot and run of the unfinished sweep, resume, every file identical`, async () => {
      const total = RUNS * (EPOCHS / EVERY);
      let resumed = 0;
      // one kill, again when the sweep ended before it (a loaded machine)
      for (let k = 0; k < 3 && resumed === 0; k++) {
        const out = `cut-${workers}-${k}`;
        const target = 1 + Math.floor(Math.random() * (total - 4));
        const { killedAt, finished } = await sweepAndKill(dir, out, workers, target);
        if (finished) continue; // it ended before the kill: nothing to resume (a loaded machine)
        assert.ok(killedAt >= 1, `killed after checkpoint ${killedAt}`);
        if (resumed === 0) {
          const partial = join(dir, `${out}.partial`);
          const before = files(partial, true);
          const plotted = runCli(['plot', out], dir);
          assert.equal(plotted.status, 0, plotted.stderr);
          assert.match(plotted.stdout, new RegExp(`^${out}: unfinished sweep \\(\\d+ of ${RUNS} runs finished\\): what it has so far is drawn in ${out}\\.so-far\\n`));
          assert.ok(existsSync(join(dir, `${out}.so-far`, 'runs.csv')));
          assert.deepEqual(files(partial, true), before, 'plot left the partial directory as it was');
          const refused = runCli(['run', 'sweep.yaml', '--out', out], dir);
          assert.equal(refused.status, 2, refused.stderr);
          assert.match(refused.stderr, new RegExp(`holds an unfinished sweep of ${out} \\(\\d+ of ${RUNS} runs finished\\): continue it with: srnn resume ${out}`));
        }
        resume(dir, out, workers);
        assertSameResults(join(dir, 'full'), join(dir, out));
        resumed++;
      }
      assert.ok(resumed > 0, 'at least one sweep was killed before its end');
    });
  }

  test('Ctrl-C keeps the partial sweep and says how to resume it', async () => {
    const out = 'cut-int';
    const child = spawn(process.execPath, [CLI_MAIN, 'run', 'sweep.yaml', '--out', out, '--workers', '1'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let seen = false;
    const poll = setInterval(() => {
      seen ||= existsSync(join(dir, `${out}.partial`, '.sweep'));
      if (progressOf(join(dir, `${out}.partial`)) >= EPOCHS / EVERY + 1) child.kill('SIGINT');
    }, 5);
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    if (status === 0) {
      assert.ok(seen, 'the sweep wrote into <out>.partial/');
      return; // it ended before the signal (a loaded machine)
    }
    assert.equal(status, 130, stderr);
    assert.match(stderr, new RegExp(`the unfinished sweep is kept in .*${out}\\.partial \\(\\d+ of ${RUNS} runs finished\\); continue it with: srnn resume ${out}\\n`));
    resume(dir, out, 1);
    assertSameResults(join(dir, 'full'), join(dir, out));
  });

  test('validate names the unit for a sweep; --queue says that a queued sweep does not checkpoint', () => {
    assert.match(runCli(['validate', 'sweep.yaml'], dir).stdout, /a sweep of 4 runs\); checkpoint every 2 epochs\n$/);
    const queued = runCli(['run', 'sweep.yaml', '--out', 'queued', '--queue', 'not-a-url'], dir);
    assert.match(queued.stderr, /srnn: warning: --queue: a sweep on a queue does not checkpoint: checkpoint is ignored, an interrupted sweep cannot be resumed/);
    assert.equal(existsSync(join(dir, 'queued.partial')), false);
  });
});
