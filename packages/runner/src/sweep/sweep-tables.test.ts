import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Census } from '@srnn/core';
import { runColumns, runRecords, summarizeRuns, summaryColumns, summaryRecords, toCsv, type SweepRunRow } from './sweep-tables';

const census = (fixpoint: number, other: number, divergent = 0): Census => ({ divergent, zero: 0, fixpoint, 'second-order': 0, other });

function row(combination: number, lr: number, replicate: number, counts: Census, meanLoss?: number): SweepRunRow {
  return { run: `r${combination}-${replicate}`, combination, values: { 'experiment.lr': lr }, replicate, seed: 100 + replicate, census: counts, populationSize: 4, meanLoss, elapsedMs: 3 };
}

describe('sweep tables', () => {
  const rows = [row(0, 0.1, 0, census(1, 3), 0.5), row(0, 0.1, 1, census(3, 1)), row(0, 0.1, 2, census(2, 2)), row(1, 0.2, 0, census(0, 2, 2))];

  it('summarises each combination by the mean and sample standard deviation of the class fractions', () => {
    const [first, second] = summarizeRuns(rows);
    assert.equal(first.n, 3);
    assert.equal(first.mean.fixpoint, 0.5);
    assert.equal(first.mean.other, 0.5);
    assert.ok(Math.abs(first.std.fixpoint - 0.25) < 1e-15, String(first.std.fixpoint)); // fractions .25 .75 .5: variance 0.0625
    assert.equal(first.std.divergent, 0);
    assert.deepEqual([second.n, second.mean.divergent, second.std.divergent], [1, 0.5, 0], 'std is 0 for a single run');
  });

  it('names the columns by swept key path and class', () => {
    assert.deepEqual(runColumns(['experiment.lr']), [
      'run',
      'experiment.lr',
      'replicate',
      'seed',
      'divergent',
      'zero',
      'fixpoint',
      'second-order',
      'other',
      'fraction.divergent',
      'fraction.zero',
      'fraction.fixpoint',
      'fraction.second-order',
      'fraction.other',
      'mean_loss',
      'elapsedMs',
    ]);
    assert.deepEqual(summaryColumns(['experiment.lr']), [
      'experiment.lr',
      'n',
      'mean.divergent',
      'std.divergent',
      'mean.zero',
      'std.zero',
      'mean.fixpoint',
      'std.fixpoint',
      'mean.second-order',
      'std.second-order',
      'mean.other',
      'std.other',
    ]);
  });

  it('writes CSV with empty cells for missing losses and quoted JSON for structured values', () => {
    const csv = toCsv(runColumns(['experiment.lr']), runRecords(['experiment.lr'], rows.slice(0, 2))).split('\n');
    assert.equal(csv[1], 'r0-0,0.1,0,100,0,0,1,0,3,0,0,0.25,0,0.75,0.5,3');
    assert.equal(csv[2], 'r0-1,0.1,1,101,0,0,3,0,1,0,0,0.75,0,0.25,,3');
    assert.equal(csv[3], '');
    assert.equal(toCsv(['a', 'b'], [{ a: { y: [1, 2], x: 'q"' }, b: 'plain' }]), 'a,b\n"{""x"":""q\\"""",""y"":[1,2]}",plain\n');
    assert.deepEqual(summaryRecords(['experiment.lr'], summarizeRuns(rows))[1], {
      'experiment.lr': 0.2,
      n: 1,
      'mean.divergent': 0.5,
      'std.divergent': 0,
      'mean.zero': 0,
      'std.zero': 0,
      'mean.fixpoint': 0,
      'std.fixpoint': 0,
      'mean.second-order': 0,
      'std.second-order': 0,
      'mean.other': 0.5,
      'std.other': 0,
    });
  });
});
