import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type {} from '@srnn/soup';
import { Srnn } from '@srnn/runner';
import { DashboardState, freshCursor, LiveRunSource, updateFor } from '@srnn/dashboard';
import { describeCli, readJson, runCli, tempDir, writeFile } from './support/helpers';
import { ENDLESS_SOUP } from './support/dashboard';
import { interrupted } from './support/interrupt';

describe('Run.pause, resume and stop (the dashboard controls, in core)', () => {
  let srnn: Srnn;
  let dir: string;

  before(async () => {
    srnn = await Srnn.create();
    dir = tempDir('srnn-dashboard-');
    writeFile(dir, 'endless.yaml', ENDLESS_SOUP);
  });

  test('pause holds the run at a progress report until resume; stop finishes it early with a complete results directory', async () => {
    const run = srnn.createRun(await srnn.loadScenario(join(dir, 'endless.yaml')));
    let done = 0;
    run.select('progress').subscribe((event) => (done = event.done));
    const finished = srnn.runIntoDirectory(run, join(dir, 'out'));
    const epochs = async (n: number) => {
      const from = done;
      while (done < from + n) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await epochs(20);
    run.pause();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const held = done;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(done, held, 'no epoch while paused');
    run.resume();
    await epochs(20);
    run.pause();
    run.stop(); // also from a pause
    const result = await finished;
    assert.ok(result.census, 'the run finished');
    const out = join(dir, 'out');
    for (const file of ['census.csv', 'summary.json', 'weights.json', 'snapshots.f32', 'snapshots.json', 'scenario.resolved.yaml']) assert.ok(existsSync(join(out, file)), file);
    const summary = readJson<{ stopped?: { done: number; total: number } }>(join(out, 'summary.json'));
    assert.deepEqual(summary.stopped, { done, total: 10_000_000 });
  });

  test('an unstopped run has no `stopped` in summary.json', async () => {
    writeFile(dir, 'short.yaml', ENDLESS_SOUP.replace('epochs: 10000000', 'epochs: 20'));
    const run = srnn.createRun(await srnn.loadScenario(join(dir, 'short.yaml')));
    await srnn.runIntoDirectory(run, join(dir, 'short'));
    assert.equal('stopped' in readJson<object>(join(dir, 'short', 'summary.json')), false);
  });
});

/** A base64 column of an update, as the page decodes it. */
const decode = (text: string) => [...new Float64Array(new Uint8Array(Buffer.from(text, 'base64')).buffer)];

describe('the dashboard follows a run', () => {
  test('no page connected: no detail asked for; a page connected: interactions and snapshots, kept for later pages', async () => {
    const srnn = await Srnn.create();
    const dir = tempDir('srnn-dashboard-');
    writeFile(dir, 'soup.yaml', ENDLESS_SOUP.replace('epochs: 10000000', 'epochs: 200'));
    const run = srnn.createRun(await srnn.loadScenario(join(dir, 'soup.yaml')));
    const source = new LiveRunSource(run);
    assert.equal(run.wants('interactions'), false);
    assert.equal(run.wants('snapshot'), false);
    let wanted: boolean[] = [];
    run.select('progress').subscribe((event) => {
      if (event.done === 100) source.watchers(1); // a page connects at epoch 100
      if (event.done === 150) source.watchers(0);
      wanted.push(run.wants('interactions'));
    });
    await run.execute();
    assert.deepEqual(wanted.slice(0, 99), Array(99).fill(false));
    assert.equal(wanted[120], true);
    assert.equal(wanted[180], false);
    wanted = [];
    const state = source.run;
    assert.equal(state.status, 'finished');
    assert.equal(state.census.step.length, 21, 'every census (0, 10, …, 200)');
    assert.deepEqual(
      [...state.epochs.step.from(0)],
      Array.from({ length: 50 }, (_, k) => 101 + k),
      'interactions of the epochs watched',
    );
    // a page connecting now gets the whole history, then nothing until something changes
    const cursor = freshCursor();
    const first = updateFor(state, cursor) as { census: { step: string }; epochs: unknown; snapshot: { step: number } };
    assert.deepEqual(
      decode(first.census.step),
      Array.from({ length: 21 }, (_, k) => 10 * k),
    );
    assert.ok(first.epochs);
    assert.equal(first.snapshot.step, 200);
    assert.equal(updateFor(state, cursor), undefined);
  });

  test('an update carries only the rows a page has not seen', () => {
    const state = new DashboardState();
    const census = { divergent: 0, zero: 1, fixpoint: 2, 'second-order': 0, other: 3 };
    state.addCensus(0, census, 0.5);
    const cursor = freshCursor();
    assert.ok(updateFor(state, cursor));
    state.addCensus(10, census, 0.25);
    const next = updateFor(state, cursor) as { census: { from: number; step: string; loss: string } };
    assert.equal(next.census.from, 1);
    assert.deepEqual(decode(next.census.step), [10]);
    assert.deepEqual(decode(next.census.loss), [0.25]);
  });
});

describe('srnn run --dashboard and srnn dashboard: bad input and Ctrl-C', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-dashboard-cli-');
    writeFile(dir, 'endless.yaml', ENDLESS_SOUP);
    writeFile(dir, 'sweep.yaml', ENDLESS_SOUP.replace('epochs: 10000000', 'epochs: 5') + 'replicates: 2\n');
  });

  test('--dashboard on a sweep, a bad port, a directory that is not a results directory: exit 2', () => {
    const sweep = runCli(['run', 'sweep.yaml', '--dashboard'], dir);
    assert.equal(sweep.status, 2, describeCli(sweep));
    assert.match(sweep.stderr, /--dashboard: a single run only/);
    const port = runCli(['run', 'endless.yaml', '--dashboard', '70000'], dir);
    assert.equal(port.status, 2, describeCli(port));
    const missing = runCli(['dashboard', 'nowhere'], dir);
    assert.equal(missing.status, 2, describeCli(missing));
    assert.match(missing.stderr, /nowhere: no such directory/);
    const plain = runCli(['dashboard', '.'], dir);
    assert.equal(plain.status, 2, describeCli(plain));
    assert.match(plain.stderr, /not a results directory/);
  });

  test('Ctrl-C during a run with --dashboard: exit 130, no results directory', async () => {
    const result = await interrupted(['run', 'endless.yaml', '--out', 'results/endless', '--dashboard', '0'], dir, /endless-soup, 300 × weightwise/, { signal: 'SIGINT' });
    assert.equal(result.status, 130, result.stderr);
    assert.match(result.stderr, /srnn: interrupted\n$/);
    assert.equal(existsSync(join(dir, 'results', 'endless')), false);
  });
});
