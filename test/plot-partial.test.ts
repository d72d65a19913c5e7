import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLI_MAIN, runCli, tempDir, writeFile } from './support/helpers';
import { checkpointCursor, files } from './support/checkpoints';

/**
 * `srnn plot` on an unfinished run (killed with SIGKILL after a checkpoint) draws its census so far
 * into `<out>.so-far/`, touches nothing in `<out>.partial/`, and the run then resumes as if plot
 * had never looked at it.
 */

/** Every result file but the marker, timing fields (`elapsedMs` of summary.json) out. */
function results(dir: string): Map<string, string | Buffer> {
  const out = new Map<string, string | Buffer>();
  for (const [name, content] of files(dir, true)) {
    if (name === '.srnn-results') continue;
    out.set(name, name === 'summary.json' ? content.toString('utf8').replace(/"elapsedMs":\s*[\d.e+-]+/g, '"elapsedMs":0') : content);
  }
  return out;
}

const SOUP = `seed: 5
architecture: { type: weightwise }
population: { size: 200 }
experiment:
  type: soup
  epochs: 30
  interactions:
    - { type: attack, rate: 0.1 }
    - { type: self-train, steps: 5, lr: 0.04 }
  censusEvery: 2
checkpoint: { every: 2 }
`;

describe('srnn plot on an unfinished run draws what it has so far, beside it, and resume still works', () => {
  test("census so far (a prefix of the finished run's), its figures in <out>.so-far/, the partial directory untouched", async () => {
    const dir = tempDir('srnn-plot-partial-');
    writeFile(dir, 'soup.yaml', SOUP);
    const full = runCli(['run', 'soup.yaml', '--out', 'full'], dir);
    assert.equal(full.status, 0, full.stderr);
    const child = spawn(process.execPath, [CLI_MAIN, 'run', 'soup.yaml', '--out', 'cut'], { cwd: dir, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (checkpointCursor(join(dir, 'cut.partial')) >= 6) child.kill('SIGKILL');
    }, 5);
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    if (status === 0) return; // it ended before the kill (a loaded machine)
    const partial = join(dir, 'cut.partial');
    const before = files(partial, true);
    for (const shown of ['cut', 'cut.partial']) {
      const plotted = runCli(['plot', shown], dir);
      assert.equal(plotted.status, 0, plotted.stderr);
      assert.match(
        plotted.stdout,
        new RegExp(
          `^${shown.replace('.', '\\.')}: unfinished run \\(checkpoint after \\d+ epochs; census up to step \\d+\\): what it has so far is drawn in cut\\.so-far\\n[^]*cut\\.so-far/census-over-time\\.svg\\n`,
        ),
      );
    }
    const soFar = readFileSync(join(dir, 'cut.so-far', 'census.csv'), 'utf8');
    const finished = readFileSync(join(dir, 'full', 'census.csv'), 'utf8');
    assert.ok(soFar.split('\n').length > 4, soFar);
    assert.ok(finished.startsWith(soFar), 'the census so far is the start of the finished census');
    assert.ok(existsSync(join(dir, 'cut.so-far', 'census-over-time.svg')));
    assert.deepEqual(files(partial, true), before, 'plot left the partial directory as it was');
    const resumed = runCli(['resume', 'cut'], dir);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.deepEqual(results(join(dir, 'cut')), results(join(dir, 'full')), 'the resumed run ends as the uninterrupted one');
  });
});
