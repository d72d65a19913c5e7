import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InProcessExecutor, Srnn } from '@srnn/runner';
import { QueueExecutor } from '@srnn/queue';
import { freePort, startRedisServer, type RedisServer } from '@srnn/testing';
import { CLI_MAIN, describeCli, FAILING_PLUGIN, runCli, tempDir, writeFile, type CliResult } from './support/helpers';

/** A 2 × 2 sweep with 2 replicates of tiny runs. */
const SWEEP = [
  'name: tiny-sweep',
  'seed: 3',
  'architecture: { type: weightwise }',
  'population: { size: 5 }',
  'experiment: { type: self-train, steps: 30, censusEvery: 10 }',
  'sweep:',
  '  experiment.lr: [0.01, 0.04]',
  '  architecture.activation: [linear, tanh]',
  'replicates: 2',
  '',
].join('\n');

/** Runs of about a second, so that a worker can be killed in the middle of one. */
const SLOW_SWEEP = [
  'name: slow-sweep',
  'seed: 5',
  'architecture: { type: weightwise }',
  'population: { size: 100 }',
  'experiment: { type: self-train, steps: 30000, censusEvery: 10000 }',
  'replicates: 4',
  '',
].join('\n');

/** A worker's lock: how soon a killed worker's job goes to another (short, so that the tests are quick). */
const LOCK_MS = '1500';

interface Background {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves once its output matches (rejects when it exits first or after 60 s). */
  waitFor(pattern: RegExp): Promise<void>;
  /** Resolves with its exit once it has exited. */
  exited(): Promise<CliResult>;
  kill(signal: NodeJS.Signals): void;
}

const children = new Set<ChildProcess>();

function start(args: readonly string[], cwd: string): Background {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, env: { ...process.env, SRNN_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const changed = () => waiters.forEach((check) => check());
  child.stdout!.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), changed()));
  child.stderr!.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), changed()));
  const exit = new Promise<CliResult>((resolve) =>
    child.once('close', (status) => {
      children.delete(child);
      resolve({ status, stdout, stderr });
      changed();
    }),
  );
  return {
    child,
    output: () => stdout + stderr,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${stdout}${stderr}`)), 60_000);
        const check = () => {
          if (pattern.test(stdout + stderr)) {
            clearTimeout(timer);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${stdout}${stderr}`));
          }
        };
        waiters.push(check);
        check();
      }),
    exited: () => exit,
    kill: (signal) => child.kill(signal),
  };
}

async function startWorker(redis: RedisServer, cwd: string, extra: readonly string[] = []): Promise<Background> {
  const worker = start(['worker', '--queue', redis.url, '--concurrency', '1', '--lock-ms', LOCK_MS, ...extra], cwd);
  await worker.waitFor(/waiting for jobs/);
  return worker;
}

async function stopAll(workers: readonly Background[]): Promise<void> {
  for (const worker of workers) worker.kill('SIGTERM');
  await Promise.all(workers.map((worker) => worker.exited()));
}

/** Every file of a sweep directory whose bytes do not depend on timing (runs.csv without elapsedMs, runs' summary.json without it). */
function deterministicFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['scenario.resolved.yaml', 'summary.csv', 'summary.json']) files[name] = readFileSync(join(dir, name), 'utf8');
  const [header, ...rows] = readFileSync(join(dir, 'runs.csv'), 'utf8').trimEnd().split('\n');
  const timing = header.split(',').indexOf('elapsedMs');
  files['runs.csv'] = [header, ...rows]
    .map((line) =>
      line
        .split(',')
        .filter((_, i) => i !== timing)
        .join(','),
    )
    .join('\n');
  for (const run of readdirSync(join(dir, 'runs')).sort()) {
    for (const name of readdirSync(join(dir, 'runs', run)).sort()) {
      const text = readFileSync(join(dir, 'runs', run, name), 'utf8');
      files[`runs/${run}/${name}`] = name === 'summary.json' ? text.replace(/"elapsedMs": \d+/, '"elapsedMs": _') : text;
    }
  }
  return files;
}

/** The runs a worker's output says it finished. */
function finishedRuns(worker: Background): string[] {
  return [...worker.output().matchAll(/^srnn worker: finished (\S+)/gm)].map((m) => m[1]);
}

/** Runs `srnn <args…>` without blocking this process (whose workers' output must be read meanwhile). */
function runCliAsync(args: readonly string[], cwd: string): Promise<CliResult> {
  return start(args, cwd).exited();
}

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

describe('sweeps on BullMQ workers over a real redis-server', { concurrency: false }, () => {
  let redis: RedisServer;
  let dir: string;
  let local: Record<string, string>;
  let slowLocal: Record<string, string>;

  before(async () => {
    redis = await startRedisServer();
    dir = tempDir('srnn-queue-');
    writeFile(dir, 'sweep.yaml', SWEEP);
    writeFile(dir, 'slow.yaml', SLOW_SWEEP);
    assertExit(runCli(['run', 'sweep.yaml', '--workers', '1', '--out', 'local'], dir), 0);
    local = deterministicFiles(join(dir, 'local'));
    assertExit(runCli(['run', 'slow.yaml', '--workers', '1', '--out', 'slow-local'], dir), 0);
    slowLocal = deterministicFiles(join(dir, 'slow-local'));
  });

  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await redis?.stop();
  });

  test('two workers give the results of --workers 1; the same sweep submitted twice at once runs each job once', async () => {
    const workers = [await startWorker(redis, dir), await startWorker(redis, dir)];
    try {
      const first = start(['run', 'sweep.yaml', '--queue', redis.url, '--out', 'queued'], dir);
      const second = start(['run', 'sweep.yaml', '--queue', redis.url, '--out', 'queued-again'], dir);
      const [a, b] = await Promise.all([first.exited(), second.exited()]);
      assertExit(a, 0);
      assertExit(b, 0);
      assert.match(a.stdout, /sweep of 8 runs after .* on 2 workers/);
      assert.deepEqual(deterministicFiles(join(dir, 'queued')), local);
      assert.deepEqual(deterministicFiles(join(dir, 'queued-again')), local);
      const finished = workers.flatMap(finishedRuns);
      assert.equal(finished.length, 8, workers.map((w) => w.output()).join('\n'));
      assert.equal(new Set(finished).size, 8);
      // a third submission finds every job finished: nothing is computed again
      assertExit(await runCliAsync(['run', 'sweep.yaml', '--queue', redis.url, '--out', 'queued-third'], dir), 0);
      assert.deepEqual(deterministicFiles(join(dir, 'queued-third')), local);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(
        workers.map((w) => w.output().match(/^srnn worker: started/gm)?.length ?? 0).reduce((a, b) => a + b),
        8,
      );
      assert.equal(workers.flatMap(finishedRuns).length, 8);
    } finally {
      await stopAll(workers);
    }
  });

  test('a worker killed with kill -9 in the middle of a job loses nothing: another worker runs it', async () => {
    const doomed = await startWorker(redis, dir);
    const submitter = start(['run', 'slow.yaml', '--queue', redis.url, '--out', 'slow-queued'], dir);
    await doomed.waitFor(/^srnn worker: started (\S+)/m);
    const killed = /^srnn worker: started (\S+)/m.exec(doomed.output())![1];
    doomed.kill('SIGKILL');
    await doomed.exited();
    const survivor = await startWorker(redis, dir);
    try {
      const result = await submitter.exited();
      assertExit(result, 0);
      assert.deepEqual(deterministicFiles(join(dir, 'slow-queued')), slowLocal);
      assert.ok(finishedRuns(survivor).includes(killed), survivor.output());
    } finally {
      await stopAll([survivor]);
    }
  });

  test('a submitter killed and started again picks up the finished jobs', async () => {
    writeFile(dir, 'restart.yaml', SLOW_SWEEP.replace('seed: 5', 'seed: 6'));
    assertExit(runCli(['run', 'restart.yaml', '--workers', '1', '--out', 'restart-local'], dir), 0);
    const worker = await startWorker(redis, dir);
    try {
      const submitter = start(['run', 'restart.yaml', '--queue', redis.url, '--out', 'restart-queued'], dir);
      await worker.waitFor(/1 done/);
      submitter.kill('SIGKILL');
      await submitter.exited();
      // the worker goes on with the jobs; the new submitter waits for those not finished yet
      assertExit(await runCliAsync(['run', 'restart.yaml', '--queue', redis.url, '--out', 'restart-queued'], dir), 0);
      assert.deepEqual(deterministicFiles(join(dir, 'restart-queued')), deterministicFiles(join(dir, 'restart-local')));
      await worker.waitFor(/4 done/);
      // each run once: the restarted submitter added no job
      assert.deepEqual(finishedRuns(worker).sort(), ['0000-r0', '0001-r1', '0002-r2', '0003-r3'], worker.output());
    } finally {
      await stopAll([worker]);
    }
  });

  test('SIGTERM stops a worker cleanly: its running job goes back to the queue', async () => {
    writeFile(dir, 'stopped.yaml', SLOW_SWEEP.replace('seed: 5', 'seed: 7').replace('replicates: 4', 'replicates: 2'));
    const stopped = await startWorker(redis, dir);
    const submitter = start(['run', 'stopped.yaml', '--queue', redis.url, '--out', 'stopped-queued'], dir);
    await stopped.waitFor(/^srnn worker: started/m);
    stopped.kill('SIGTERM');
    const exit = await stopped.exited();
    assert.match(exit.stderr, /returned \S+ to the queue/, describeCli(exit));
    const next = await startWorker(redis, dir);
    try {
      assertExit(await submitter.exited(), 0);
      assert.equal(finishedRuns(next).length, 2, next.output());
    } finally {
      await stopAll([next]);
    }
  });

  test('a run that fails fails the sweep with its message, once (no retries)', async () => {
    const worker = await startWorker(redis, dir, ['--plugin', FAILING_PLUGIN]);
    try {
      writeFile(dir, 'failing.yaml', 'seed: 1\narchitecture: { type: weightwise }\npopulation: { size: 3 }\nexperiment: { type: fail-midway, message: "boom in the run" }\nreplicates: 2\n');
      const result = await runCliAsync(['run', 'failing.yaml', '--plugin', FAILING_PLUGIN, '--queue', redis.url, '--out', 'failing'], dir);
      assertExit(result, 1);
      assert.match(result.stderr, /\nsrnn: \S+-r\d: boom in the run\n$/);
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.startsWith('failing') && name !== 'failing.yaml'),
        [],
      );
      // each of the 2 runs failed once, not again and again
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.ok((worker.output().match(/rejected/g) ?? []).length <= 2, worker.output());
    } finally {
      await stopAll([worker]);
    }
  });

  test('a worker without a plugin the submitter has rejects the job; the submitter prints why', async () => {
    const worker = await startWorker(redis, dir);
    try {
      writeFile(dir, 'plugin.yaml', SWEEP.replace('seed: 3', 'seed: 8'));
      const result = await runCliAsync(['run', 'plugin.yaml', '--plugin', FAILING_PLUGIN, '--queue', redis.url, '--out', 'plugin'], dir);
      assertExit(result, 1);
      assert.match(result.stderr, /lacks the plugin failing-experiment-plugin\.js#[0-9a-f]{12}/);
    } finally {
      await stopAll([worker]);
    }
  });

  test('a worker of another srnn version rejects the job; the submitter sees why', async () => {
    const worker = await startWorker(redis, dir);
    const srnn = await Srnn.create();
    const loaded = await srnn.loadScenarioText(SWEEP.replace('seed: 3', 'seed: 9'));
    const executor = await QueueExecutor.connect({ url: redis.url, plugins: srnn.plugins, local: new InProcessExecutor(srnn.registry), requirements: { srnn: '0.0.1', plugins: [] } });
    try {
      await assert.rejects(executor.execute(loaded.plan.runs[0].scenario, { dir: join(tempDir(), 'run') }), /runs srnn 0\.1\.0, the job was submitted by srnn 0\.0\.1/);
    } finally {
      await executor.close();
      await stopAll([worker]);
    }
  });

  test('an unreachable Redis: exit 1 with one clear line, for the submitter and the worker', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    for (const args of [
      ['run', 'sweep.yaml', '--queue', url, '--out', 'unreachable'],
      ['worker', '--queue', url],
    ]) {
      const result = await runCliAsync(args, dir);
      assertExit(result, 1);
      assert.match(result.stderr, /^srnn: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*\n$/);
    }
    const bad = runCli(['run', 'sweep.yaml', '--queue', 'http://example.org', '--out', 'bad'], dir);
    assertExit(bad, 2);
  });
});
