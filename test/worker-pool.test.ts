import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ContainerModule } from 'inversify';
import { Srnn, WorkerPoolExecutor, type RunExecutor, type SweepRunOutcome } from '@srnn/runner';
import { describeCli, FAILING_PLUGIN, failingPluginFrom, runCli, tempDir, writeFile, type CliResult } from './support/helpers';
import { interrupted } from './support/interrupt';

/** A 3 × 2 sweep with 2 replicates: 12 small runs of three experiment types' worth of numerics. */
const SWEEP = [
  'name: pool-sweep',
  'seed: 5',
  'architecture: { type: weightwise }',
  'population: { size: 6 }',
  'experiment: { type: self-train, steps: 60, censusEvery: 20 }',
  'sweep:',
  '  architecture.type: [weightwise, aggregating, recurrent]',
  '  experiment.lr: [0.01, 0.04]',
  'replicates: 2',
  '',
].join('\n');

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

/** runs.csv without its elapsedMs column (the one column that is a timing). */
function runsCsvWithoutTiming(dir: string): string {
  const [header, ...rows] = readFileSync(join(dir, 'runs.csv'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
  const timing = header.indexOf('elapsedMs');
  assert.ok(timing >= 0);
  return [header, ...rows].map((cells) => cells.filter((_, i) => i !== timing).join(',')).join('\n');
}

/** Every run's weights.json, by run id. */
function runWeights(dir: string): Record<string, string> {
  const runs = readdirSync(join(dir, 'runs')).sort();
  return Object.fromEntries(runs.map((run) => [run, readFileSync(join(dir, 'runs', run, 'weights.json'), 'utf8')]));
}

describe('srnn run --workers: a sweep in a pool of worker threads', () => {
  let dir: string;
  const out = (workers: number) => join(dir, 'results', `w${workers}`);
  const results = new Map<number, CliResult>();

  before(() => {
    dir = tempDir('srnn-pool-');
    writeFile(dir, 'sweep.yaml', SWEEP);
    for (const workers of [1, 2]) results.set(workers, runCli(['run', 'sweep.yaml', '--out', `results/w${workers}`, '--workers', String(workers)], dir));
  });

  test('with 1 and with 2 workers it writes byte-identical summary.csv, runs.csv (but for elapsedMs) and weights.json of every run', () => {
    for (const workers of [1, 2]) assertExit(results.get(workers)!, 0);
    assert.match(results.get(2)!.stdout, /sweep of 12 runs after [0-9.]+ s on 2 workers/);
    assert.match(results.get(1)!.stdout, /on 1 worker;/);
    assert.equal(readFileSync(join(out(2), 'summary.csv'), 'utf8'), readFileSync(join(out(1), 'summary.csv'), 'utf8'));
    assert.equal(runsCsvWithoutTiming(out(2)), runsCsvWithoutTiming(out(1)));
    const one = runWeights(out(1));
    assert.equal(Object.keys(one).length, 12);
    assert.deepEqual(runWeights(out(2)), one);
    // the rows are in plan order whatever order the runs finished in
    const ids = runsCsvWithoutTiming(out(2))
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    assert.deepEqual(ids, [...ids].sort());
  });

  test('two threads started at once (as a pool does on an idle machine) write the same files as --workers 1', async () => {
    assertExit(results.get(1)!, 0);
    const srnn = await Srnn.create();
    const pool = srnn.createPool({ workers: 2, startAll: true, batchMs: 0 }) as WorkerPoolExecutor;
    try {
      const sweep = srnn.createSweep(await srnn.loadScenarioText(SWEEP, join(dir, 'sweep.yaml')), {}, pool);
      await srnn.runSweepIntoDirectory(sweep, out(3));
      assert.equal(pool.stats.threads, 2);
      assert.ok(pool.stats.handOvers >= 12, `one run per hand-over: ${pool.stats.handOvers}`);
    } finally {
      await pool.close();
    }
    assert.equal(readFileSync(join(out(3), 'summary.csv'), 'utf8'), readFileSync(join(out(1), 'summary.csv'), 'utf8'));
    assert.equal(runsCsvWithoutTiming(out(3)), runsCsvWithoutTiming(out(1)));
    assert.deepEqual(runWeights(out(3)), runWeights(out(1)));
  });

  test('--workers takes a positive integer', () => {
    const result = runCli(['run', 'sweep.yaml', '--out', 'results/bad', '--workers', '0'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /--workers.*positive integer/);
    assert.equal(existsSync(join(dir, 'results', 'bad')), false);
  });

  test("a run in a worker loads the scenario's own plugins, and its failure fails the sweep, leaving nothing", () => {
    writeFile(
      dir,
      'fails.yaml',
      [
        'seed: 1',
        `plugins: [${failingPluginFrom(dir)}]`,
        'architecture: { type: weightwise }',
        'population: { size: 3 }',
        'experiment: { type: fail-midway, fail: false }',
        'sweep: { experiment.failAfter: [1, 2], experiment.fail: [false, true] }',
        'replicates: 2',
        '',
      ].join('\n'),
    );
    const result = runCli(['run', 'fails.yaml', '--out', 'results/fails', '--workers', '2', '--allow-plugins'], dir);
    assertExit(result, 1);
    assert.match(result.stderr, /fail-midway: deliberate failure/);
    assert.equal(existsSync(join(dir, 'results', 'fails')), false);
    assert.deepEqual(
      readdirSync(join(dir, 'results')).filter((name) => name.startsWith('.')),
      [],
    );
  });

  test('Ctrl-C (SIGINT) cancels the runs in the workers and leaves no results directory', async () => {
    writeFile(dir, 'long.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 50 }', 'experiment: { type: self-train, steps: 1000000 }', 'replicates: 4', ''].join('\n'));
    const { status, stderr, ms } = await interrupted(['run', 'long.yaml', '--out', 'results/long', '--workers', '2'], dir, /sweep of 4 runs/);
    assert.notEqual(status, 0, stderr);
    assert.match(stderr, /interrupted/);
    assert.ok(ms < 20_000, `stopped promptly (${ms} ms)`);
    assert.equal(existsSync(join(dir, 'results', 'long')), false);
    assert.deepEqual(
      readdirSync(join(dir, 'results')).filter((name) => name.startsWith('.')),
      [],
    );
  });
});

describe('Srnn.createPool', () => {
  let srnn: Srnn;

  before(async () => {
    srnn = await Srnn.create();
  });

  test('a pool runs a derived scenario in a worker and returns the outcome the in-process executor returns', async () => {
    const loaded = await srnn.loadScenarioText(SWEEP, 'sweep.yaml');
    const [spec] = srnn.createSweep(loaded).plan.runs;
    const pools: RunExecutor[] = [srnn.createPool({ workers: 1 }), srnn.createPool({ workers: 2 })];
    try {
      assert.deepEqual(
        pools.map((p) => p.workers),
        [1, 2],
      );
      const events: string[] = [];
      const [inProcess, pooled] = await Promise.all(pools.map((pool) => pool.execute(spec.scenario, { onStarted: () => events.push('started'), onProgress: () => events.push('progress') })));
      assert.deepEqual(pooled.census, inProcess.census);
      assert.equal(pooled.meanLoss, inProcess.meanLoss);
      assert.equal(pooled.populationSize, 6);
      assert.equal(events.filter((e) => e === 'started').length, 2);
      assert.ok(events.includes('progress'));
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });

  test('a pooled run aborted while queued or running rejects with the abort reason', async () => {
    const loaded = await srnn.loadScenarioText('architecture: { type: weightwise }\npopulation: { size: 20 }\nexperiment: { type: self-train, steps: 1000000 }\n', 'long.yaml');
    const pool = srnn.createPool({ workers: 2 });
    try {
      const abort = new AbortController();
      const started: number[] = [];
      const onStarted = (i: number) => () => {
        if (started.push(i) === 1) setTimeout(() => abort.abort(new Error('enough')), 200);
      };
      const runs = [0, 1, 2].map((i) => pool.execute(loaded.scenario, { signal: abort.signal, onStarted: onStarted(i) }));
      const settled = await Promise.allSettled(runs);
      for (const outcome of settled) {
        assert.equal(outcome.status, 'rejected');
        assert.match(((outcome as PromiseRejectedResult).reason as Error).message, /enough/);
      }
      assert.ok(started.length > 0 && !started.includes(2), `the third run, queued behind two running ones, never started: ${started}`);
    } finally {
      await pool.close();
    }
  });

  test('small runs go to the workers in batches; every run settles with its own outcome, as in-process, and a failing run fails only itself', async () => {
    const text = [
      'seed: 3',
      `plugins: [${JSON.stringify(FAILING_PLUGIN)}]`,
      'architecture: { type: weightwise }',
      'population: { size: 3 }',
      'experiment: { type: fail-midway }',
      'sweep: { experiment.fail: [false, true], experiment.failAfter: [1, 2, 3] }',
      'replicates: 4',
      '',
    ].join('\n');
    await srnn.loadPlugins([{ name: 'failing-experiment-plugin', path: FAILING_PLUGIN }]); // as `--plugin FILE` does
    const plan = srnn.createSweep(await srnn.loadScenarioText(text, 'batches.yaml')).plan;
    const inProcess = await Promise.allSettled(plan.runs.map((spec) => srnn.createPool({ workers: 1 }).execute(spec.scenario)));
    const pool = srnn.createPool({ workers: 2, batchMs: 60_000, startAll: true }) as WorkerPoolExecutor;
    try {
      const started = new Set<number>();
      const pooled = await Promise.allSettled(plan.runs.map((spec) => pool.execute(spec.scenario, { onStarted: () => started.add(spec.index) })));
      assert.equal(pooled.length, 24);
      pooled.forEach((outcome, i) => {
        const fails = plan.runs[i].values['experiment.fail'] === true;
        assert.equal(outcome.status, fails ? 'rejected' : 'fulfilled', `run ${plan.runs[i].id}`);
        if (outcome.status === 'rejected') assert.match((outcome.reason as Error).message, /fail-midway: deliberate failure/);
        else assert.deepEqual(outcome.value.census, (inProcess[i] as PromiseFulfilledResult<SweepRunOutcome>).value.census);
      });
      assert.equal(started.size, 24);
      const { handOvers, runs, threads } = pool.stats;
      assert.equal(runs, 24);
      assert.equal(threads, 2);
      assert.ok(handOvers < runs / 2, `runs were handed over in batches: ${handOvers} hand-overs for ${runs} runs`);
    } finally {
      await pool.close();
    }
  });

  test('a second thread starts only while work is queued and a core is idle for it', async () => {
    const loaded = await srnn.loadScenarioText('architecture: { type: weightwise }\npopulation: { size: 20 }\nexperiment: { type: self-train, steps: 2000 }\nreplicates: 12\n', 'queued.yaml');
    const plan = srnn.createSweep(loaded).plan;
    for (const [idle, threads] of [
      [0.1, 1],
      [1.5, 2],
    ] as const) {
      const pool = srnn.createPool({ workers: 2, idleCores: () => idle }) as WorkerPoolExecutor;
      try {
        const outcomes = await Promise.all(plan.runs.map((spec) => pool.execute(spec.scenario)));
        assert.equal(outcomes.length, 12);
        assert.equal(pool.stats.threads, threads, `${idle} idle cores`);
      } finally {
        await pool.close();
      }
    }
  });

  test('an Srnn given plugin modules as objects cannot send them to workers', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JS fixture module outside the compiled tree
    const plugin = (require(FAILING_PLUGIN) as { default: ContainerModule }).default;
    const withModules = await Srnn.create({ modules: [plugin] });
    assert.throws(() => withModules.createPool({ workers: 2 }), /workers: 1/);
    assert.equal(withModules.createPool({ workers: 1 }).workers, 1);
    assert.throws(() => srnn.createPool({ workers: 0 }), /positive integer/);
  });
});
