import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distance, distanceMatrix, distancesToParents, mae, mim, movement, mse } from './distances';

const close = (actual: number, expected: number, tolerance = 1e-12) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≈ ${expected}`);

describe('distances between weight vectors', () => {
  const a = [1, 2, 3, 4];
  const b = [2, 0, 3, 8];

  it('MAE is the mean absolute difference: |−1|+|2|+0+|−4| over 4 = 1.75', () => {
    assert.equal(mae(a, b), 1.75);
  });

  it('MSE is the mean squared difference: (1+4+0+16)/4 = 5.25', () => {
    assert.equal(mse(a, b), 5.25);
  });

  it('MIM compares the sorted vectors: [1,2,3,4] vs [0,2,3,8] gives (1+0+0+4)/4 = 1.25', () => {
    assert.equal(mim(a, b), 1.25);
  });

  it('MIM is 0 for a permutation, where MAE is not', () => {
    const x = [3, -1, 2];
    const y = [2, 3, -1];
    assert.equal(mim(x, y), 0);
    close(mae(x, y), 8 / 3);
  });

  it('every distance is 0 for identical vectors and symmetric', () => {
    for (const name of ['mae', 'mse', 'mim'] as const) {
      assert.equal(distance(name, a, a), 0);
      assert.equal(distance(name, a, b), distance(name, b, a));
    }
  });

  it('works on float32 vectors in float64 arithmetic', () => {
    const x = Float32Array.of(0.1, 0.2);
    const y = Float32Array.of(0.3, 0.2);
    assert.equal(mae(x, y), Math.abs(Math.fround(0.1) - Math.fround(0.3)) / 2);
  });

  it('a NaN weight gives NaN; different lengths are an error', () => {
    assert.ok(Number.isNaN(mae([NaN, 1], [0, 1])));
    assert.ok(Number.isNaN(mim([NaN, 1], [0, 1])));
    assert.throws(() => mse([1, 2], [1]), /different lengths/);
  });

  it('the all-to-all matrix is symmetric with a zero diagonal and the pairwise distances', () => {
    const rows = Float32Array.of(0, 0, 1, 1, 3, -1);
    const m = distanceMatrix('mae', rows, 2);
    assert.deepEqual(Array.from(m), [0, 1, 2, 1, 0, 2, 2, 2, 0]);
    const squared = distanceMatrix('mse', rows, 2);
    assert.deepEqual(Array.from(squared), [0, 1, 5, 1, 0, 4, 5, 4, 0]);
  });

  it('distance to parent pairs every clone with its own parent row', () => {
    const parents = Float32Array.of(0, 0, 10, 10);
    const clones = Float32Array.of(1, 1, 10, 12, 0, 2);
    assert.deepEqual(Array.from(distancesToParents('mae', clones, parents, [0, 1, 0], 2)), [1, 1, 1]);
  });
});

describe('movement of a clone relative to its parent', () => {
  it('closer after is approaching, farther is distancing, equal is stationary', () => {
    assert.equal(movement(0.5, 0.1), 'approaching');
    assert.equal(movement(0.1, 0.5), 'distancing');
    assert.equal(movement(0.25, 0.25), 'stationary');
    assert.equal(movement(0, 0), 'stationary');
  });

  it('a clone that diverged is distancing', () => {
    assert.equal(movement(0.1, NaN), 'distancing');
    assert.equal(movement(0.1, Infinity), 'distancing');
  });
});
