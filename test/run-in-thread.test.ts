import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunEvent } from '@srnn/core';
import { Srnn, type RunExecutor } from '@srnn/runner';
import { tempDir } from './support/helpers';

const SCENARIO = ['name: in-thread', 'seed: 3', 'architecture: { type: weightwise }', 'population: { size: 8 }', 'experiment: { type: self-train, steps: 300, censusEvery: 50 }', ''].join('\n');

/** Every file of a results directory but the timings in summary.json and the writer's identity and time in the marker. */
function files(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => {
        const text = readFileSync(join(dir, name), 'utf8');
        if (name === '.srnn-results') {
          const { writer: _writer, created: _created, ...marker } = JSON.parse(text) as Record<string, unknown>;
          return [name, JSON.stringify(marker)];
        }
        return [name, name === 'summary.json' ? text.replace(/"elapsedMs": [0-9.]+/, '') : text];
      }),
  );
}

describe('a run of its own in a worker thread (Srnn.runIntoDirectory with a pool)', () => {
  let srnn: Srnn;
  let dir: string;

  before(async () => {
    srnn = await Srnn.create();
    dir = tempDir('srnn-thread-');
  });

  test('writes what a run in this thread writes, figures included, and its events reach run.events$', async () => {
    const loaded = await srnn.loadScenarioText(SCENARIO, join(dir, 'in-thread.yaml'));
    const here = srnn.createRun(loaded);
    await srnn.runIntoDirectory(here, join(dir, 'here'));
    const pool = srnn.createPool({ workers: 1, threads: true });
    try {
      const run = srnn.createRun(loaded);
      const kinds: RunEvent['kind'][] = [];
      run.events$.subscribe((event) => kinds.push(event.kind));
      const result = await srnn.runIntoDirectory(run, join(dir, 'thread'), pool);
      assert.deepEqual(files(join(dir, 'thread')), files(join(dir, 'here')));
      assert.ok(existsSync(join(dir, 'thread', 'census-over-time.svg')));
      assert.equal(result.population.weights.length, 8 * result.info.weightCount);
      assert.equal(kinds[0], 'run-started');
      assert.ok(kinds.includes('census') && kinds.includes('progress'), kinds.join(' '));
      assert.equal(kinds[kinds.length - 1], 'run-finished');
    } finally {
      await pool.close();
    }
  });

  test('cancelled, it rejects with the reason and leaves no results directory', async () => {
    const loaded = await srnn.loadScenarioText(SCENARIO.replace('steps: 300', 'steps: 10000000'), join(dir, 'long.yaml'));
    const pools: RunExecutor[] = [srnn.createPool({ workers: 1, threads: true }), srnn.createPool({ workers: 1 })];
    try {
      for (const pool of pools) {
        const run = srnn.createRun(loaded);
        run.events$.subscribe((event) => event.kind === 'progress' && run.cancel('stop now'));
        const failed: Error[] = [];
        run.events$.subscribe((event) => event.kind === 'run-failed' && failed.push(event.error));
        await assert.rejects(srnn.runIntoDirectory(run, join(dir, 'cancelled'), pool), /stop now/);
        assert.equal(existsSync(join(dir, 'cancelled')), false);
        assert.equal(failed.length, 1);
      }
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.startsWith('.')),
        [],
      );
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });

  test('closing the pool stops a run inside a kernel call of minutes; the run rejects once the thread has stopped', async () => {
    const loaded = await srnn.loadScenarioText('seed: 1\narchitecture: { type: weightwise, width: 256 }\npopulation: { size: 2 }\nexperiment: { type: self-train, steps: 3 }\n', join(dir, 'big.yaml'));
    const pool = srnn.createPool({ workers: 1, threads: true });
    const run = srnn.createRun(loaded);
    run.events$.subscribe((event) => event.kind === 'run-started' && setTimeout(() => void pool.close(), 500));
    await assert.rejects(srnn.runIntoDirectory(run, join(dir, 'big'), pool));
    assert.equal(existsSync(join(dir, 'big')), false);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('.')),
      [],
    );
  });
});
