import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { tempDir, writeFile } from './support/helpers';
import { interrupted, type Interrupted } from './support/interrupt';

/**
 * Kernel calls of minutes: one full-batch training step of a width-256 weightwise network (66 816
 * weights, 66 816 rows of 66 816 multiply-adds forward and twice that backward) in one call.
 */
const BIG = ['seed: 1', 'architecture: { type: weightwise, width: 256 }', 'population: { size: 2 }', 'experiment: { type: self-train, steps: 3, censusEvery: 1 }', ''].join('\n');

/** Its run has started (its first training step is computing 700 ms later). */
const BIG_STARTED = /: self-train, 2 × weightwise \(66816 weights\)/;

const SWEEP = ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 50 }', 'experiment: { type: self-train, steps: 1000000 }', 'replicates: 4', ''].join('\n');

/** `.srnn-tmp-*` entries in `dir` and in its results/ folder. */
function leftovers(dir: string): string[] {
  const results = join(dir, 'results');
  const names = (d: string) => (existsSync(d) ? readdirSync(d).filter((name) => name.startsWith('.srnn-tmp-')) : []);
  return [...names(dir), ...names(results)];
}

/** Exit `status` after one line `srnn: interrupted`, nothing reported done, no results directory `out`, nothing left behind. */
function assertInterrupted(result: Interrupted, status: number, dir: string, out: string): void {
  const report = `exit ${result.status} (signal ${result.signal}) ${Math.round(result.ms)} ms after the signal\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  assert.equal(result.status, status, report);
  assert.match(result.stderr, /(^|\n)srnn: interrupted\n$/, report);
  assert.equal(result.stderr.match(/interrupted/g)?.length, 1, report);
  assert.equal(result.stdout, '', `nothing reported done\n${report}`);
  assert.equal(existsSync(join(dir, out)), false, `no results directory\n${report}`);
  assert.deepEqual(leftovers(dir), [], `no temporary directory\n${report}`);
}

describe('signals stop srnn within a second, whatever its kernels do, and leave nothing behind', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-interrupt-');
    writeFile(dir, 'big.yaml', BIG);
    writeFile(dir, 'sweep.yaml', SWEEP);
    const papers = join(dir, 'paper-scenarios');
    mkdirSync(papers);
    writeFile(papers, 'big.yaml', BIG);
  });

  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    test(`${signal} in the middle of a training step of minutes: exit ${status}`, async () => {
      const result = await interrupted(['run', 'big.yaml', '--out', 'results/big'], dir, BIG_STARTED, { signal });
      assertInterrupted(result, status, dir, 'results/big');
      assert.ok(result.ms < 3000, `stopped ${Math.round(result.ms)} ms after the signal`);
    });
  }

  test('a sweep interrupted in its first second', async () => {
    for (const after of [400, 800]) {
      const result = await interrupted(['run', 'sweep.yaml', '--out', 'results/sweep', '--workers', '2'], dir, undefined, { after });
      assertInterrupted(result, 130, dir, 'results/sweep');
    }
  });

  test('a sweep interrupted as it starts, with its workers still loading', async () => {
    const result = await interrupted(['run', 'sweep.yaml', '--out', 'results/sweep', '--workers', '2'], dir, /sweep of 4 runs/, { after: 0 });
    assertInterrupted(result, 130, dir, 'results/sweep');
  });

  test('a sweep that gets Ctrl-C twice (npx forwards it to srnn, which got it too)', async () => {
    for (const after of [300, 900]) {
      const result = await interrupted(['run', 'sweep.yaml', '--out', 'results/sweep', '--workers', '2'], dir, /sweep of 4 runs/, { after, twice: true });
      assertInterrupted(result, 130, dir, 'results/sweep');
    }
  });

  test('a sweep with --workers 1 (its runs in one worker thread)', async () => {
    const result = await interrupted(['run', 'sweep.yaml', '--out', 'results/sweep', '--workers', '1'], dir, /sweep of 4 runs/, { signal: 'SIGTERM' });
    assertInterrupted(result, 143, dir, 'results/sweep');
    assert.ok(result.ms < 3000, `stopped ${Math.round(result.ms)} ms after the signal`);
  });

  test('srnn paper in the middle of a training step of minutes', async () => {
    const result = await interrupted(['paper', '--scenarios', 'paper-scenarios', '--out', 'results/paper', '--workers', '1'], dir, /1 runs? on 1 worker/, { after: 1500 });
    assertInterrupted(result, 130, dir, 'results/paper');
    assert.ok(result.ms < 3000, `stopped ${Math.round(result.ms)} ms after the signal`);
  });
});
