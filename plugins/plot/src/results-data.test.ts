import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fractionOf, label, orderedLabels, readCensus, readSweepRuns, valueAt } from './results-data';
import { singleRunDir, SWEEP_ARCHITECTURES, SWEEP_REPLICATES, SWEEP_TRAINS, sweepDir } from './fixture-results';

describe('reading results directories', () => {
  test('census.csv rows give step, the five counts and the mean loss (null where empty)', () => {
    const rows = readCensus(singleRunDir().dir)!;
    assert.equal(rows.length, 5);
    assert.deepEqual(rows[0], { step: 0, counts: { divergent: 0, zero: 0, fixpoint: 0, 'second-order': 0, other: 10 }, meanLoss: null });
    assert.deepEqual(rows[4], { step: 400, counts: { divergent: 1, zero: 1, fixpoint: 7, 'second-order': 1, other: 0 }, meanLoss: 0.00002 });
  });

  test('a sweep directory has no census.csv and a single run no runs file', () => {
    assert.equal(readCensus(sweepDir().dir), undefined);
    assert.equal(readSweepRuns(singleRunDir().dir), undefined);
  });

  test('runs.json and runs.csv give the same typed rows', () => {
    const fromJson = readSweepRuns(sweepDir({ format: 'json' }).dir)!;
    const fromCsv = readSweepRuns(sweepDir({ format: 'csv' }).dir)!;
    assert.equal(fromJson.length, SWEEP_ARCHITECTURES.length * SWEEP_TRAINS.length * SWEEP_REPLICATES);
    assert.deepEqual(fromCsv, fromJson);
    assert.equal(fromCsv[0]['experiment.trainsPerApplication'], 0);
  });

  test('a key path is a column, a nested value, or else the scenario value', () => {
    assert.equal(valueAt({ 'architecture.type': 'fft' }, 'architecture.type'), 'fft');
    assert.equal(valueAt({ architecture: { type: 'fft' } }, 'architecture.type'), 'fft');
    const { scenario } = singleRunDir();
    assert.equal(valueAt({}, 'architecture.type', scenario), 'weightwise');
    assert.equal(valueAt({}, 'experiment.nothing', scenario), undefined);
  });

  test('the fraction of a class comes from fraction.<class>, or else from the counts', () => {
    assert.equal(fractionOf({ 'fraction.zero': 0.25 }, 'zero'), 0.25);
    assert.equal(fractionOf({ divergent: 1, zero: 1, fixpoint: 2, 'second-order': 0, other: 0 }, 'fixpoint'), 0.5);
    assert.equal(fractionOf({ run: 'x' }, 'fixpoint'), undefined);
  });

  test('labels follow the sweep order, else ascending numbers, else first appearance', () => {
    const { scenario } = sweepDir();
    assert.deepEqual(orderedLabels('architecture.type', ['recurrent', 'weightwise', 'aggregating'], scenario), SWEEP_ARCHITECTURES);
    assert.deepEqual(orderedLabels('experiment.lr', [0.1, 0.01, 0.1]), ['0.01', '0.1']);
    assert.deepEqual(orderedLabels('x', ['b', 'a', 'b']), ['b', 'a']);
    assert.equal(label({ a: 1 }), '{"a":1}');
  });
});
