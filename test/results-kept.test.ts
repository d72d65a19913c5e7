import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ContainerModule } from 'inversify';
import { OutputDirectoryError, renderFigures, Srnn } from '@srnn/runner';
import { PaperRun } from '@srnn/report';
import { FIXTURES, smallScenario, tempDir } from './support/helpers';

/** The local plugin registering the automatic figure `always-fails`. */
const FAILING_FIGURE = join(FIXTURES, 'failing-figure-plugin.js');

const SWEEP = ['name: sw', 'seed: 4', 'architecture: { type: weightwise }', 'population: { size: 4 }', 'experiment: { type: self-train, steps: 5 }', 'replicates: 3', ''].join('\n');

/** What `fn` writes to stderr (and still shows it), with its value. */
async function capturingStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    stderr += chunk.toString();
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    return { value: await fn(), stderr };
  } finally {
    process.stderr.write = write;
  }
}

function warningFor(out: string): string {
  return `srnn: warning: figure always-fails of ${out} was not drawn: always-fails: Maximum call stack size exceeded (deliberate); the results are kept (redraw with: srnn plot ${out})\n`;
}

describe('a figure that fails is a warning; the finished results are kept', () => {
  let dir: string;
  let srnn: Srnn;

  before(async () => {
    dir = tempDir('srnn-figure-fails-');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JS fixture module outside the compiled tree
    const plugin = (require(FAILING_FIGURE) as { default: ContainerModule }).default;
    srnn = await Srnn.create({ modules: [plugin] });
  });

  test('a run: its results and the other figures are written, one warning names the figure, the directory and why', async () => {
    const out = join(dir, 'run');
    const loaded = await srnn.loadScenarioText(smallScenario({ size: 4, steps: 5 }), 'run.yaml');
    const { stderr } = await capturingStderr(() => srnn.runIntoDirectory(srnn.createRun(loaded), out));
    assert.equal(stderr, warningFor(out));
    for (const file of ['.srnn-results', 'census.csv', 'summary.json', 'weights.json', 'scenario.resolved.yaml', 'census-over-time.svg']) assert.ok(existsSync(join(out, file)), file);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('.')),
      [],
    );
  });

  test('a sweep run in this process: its tables and runs are kept', async () => {
    const out = join(dir, 'sweep');
    const loaded = await srnn.loadScenarioText(SWEEP, 'sweep.yaml');
    const { value, stderr } = await capturingStderr(() => srnn.runSweepIntoDirectory(loaded, out));
    assert.equal(value.rows.length, 3);
    assert.equal(stderr, warningFor(out));
    assert.ok(existsSync(join(out, 'summary.csv')));
    assert.equal(readdirSync(join(out, 'runs')).length, 3);
  });

  test('a sweep in a pool of worker threads (the figure fails in a worker): its results are kept', async () => {
    const pooled = await Srnn.create();
    await pooled.loadPlugins([{ name: 'failing-figure', path: FAILING_FIGURE }]);
    const pool = pooled.createPool({ workers: 2 });
    const out = join(dir, 'pooled');
    try {
      const loaded = await pooled.loadScenarioText(SWEEP, 'sweep.yaml');
      const { stderr } = await capturingStderr(() => pooled.runSweepIntoDirectory(pooled.createSweep(loaded, {}, pool), out));
      assert.equal(stderr, warningFor(out));
    } finally {
      await pool.close();
    }
    assert.ok(existsSync(join(out, 'runs.csv')));
  });

  test('srnn paper: the report and every experiment are kept; the warning names the experiment directory', async () => {
    const scenarios = join(dir, 'paper-scenarios');
    mkdirSync(scenarios);
    writeFileSync(join(scenarios, 'tiny.yaml'), smallScenario({ size: 4, steps: 5 }));
    const out = join(dir, 'paper');
    const paper = await PaperRun.plan(srnn, { out, scenarios, workers: 1, executor: srnn.createPool({ workers: 1 }) });
    const { value, stderr } = await capturingStderr(() => paper.execute());
    assert.equal(stderr, warningFor(join(out, 'tiny')));
    assert.ok(value.experiments[0].figures.includes('census-over-time.svg'), `${value.experiments[0].figures}`);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /tiny/);
    assert.ok(existsSync(join(out, 'tiny', 'weights.json')));
  });

  test('renderFigures without a failure handler still rejects (srnn plot reports a failed figure as its failure)', async () => {
    const loaded = await srnn.loadScenarioText(smallScenario({ size: 4, steps: 5 }), 'plot.yaml');
    await assert.rejects(renderFigures(join(dir, 'run'), loaded.scenario, srnn.registry), /always-fails: Maximum call stack size exceeded/);
  });
});

describe('a target that changes while the results are written', () => {
  test('is left as it is (re-checked before the swap); the finished results go to <target>-2, with an exit-2 error saying so', async () => {
    const dir = tempDir('srnn-target-changed-');
    const srnn = await Srnn.create();
    const out = join(dir, 'out');
    const run = srnn.createRun(await srnn.loadScenarioText(smallScenario({ size: 4, steps: 30 }), 'changed.yaml'));
    let created = false;
    run.events$.subscribe((event) => {
      if (event.kind !== 'progress' || created) return;
      created = true;
      mkdirSync(out);
      writeFileSync(join(out, 'notes.txt'), 'written by the user meanwhile\n');
    });
    const failure = await srnn.runIntoDirectory(run, out).then(
      () => assert.fail('expected a refusal'),
      (error: unknown) => error,
    );
    assert.ok(failure instanceof OutputDirectoryError, String(failure));
    assert.match(failure.message, /refusing to replace .*out: it is a directory holding 1 entry \(notes\.txt\).*they are in .*out-2 instead/);
    assert.deepEqual(readdirSync(out), ['notes.txt']);
    assert.ok(existsSync(join(dir, 'out-2', 'weights.json')));
    assert.ok(existsSync(join(dir, 'out-2', '.srnn-results')));
    assert.deepEqual(readdirSync(dir).sort(), ['out', 'out-2']);
  });
});
