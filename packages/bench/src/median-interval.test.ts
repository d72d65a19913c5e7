import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { medianInterval } from './median-interval';

describe('medianInterval', () => {
  it('needs 6 values for 95 % (the extremes then cover the median with 1 − 2/64)', () => {
    assert.equal(medianInterval([1, 2, 3, 4, 5]), undefined);
    const interval = medianInterval([6, 1, 5, 2, 4, 3]);
    assert.deepEqual(interval, { low: 1, high: 6, coverage: 1 - 2 / 64 });
  });

  it('takes the k-th order statistics with the largest k that keeps the coverage', () => {
    // n = 20: P(X ≤ 5) = 0.0207, P(X ≤ 6) = 0.0577 for X ~ B(20, ½): k = 6, the 6th smallest and largest
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);
    const interval = medianInterval(values)!;
    assert.equal(interval.low, 6);
    assert.equal(interval.high, 15);
    assert.ok(Math.abs(interval.coverage - (1 - 2 * 0.020695)) < 1e-5, String(interval.coverage));
    // 99 %: P(X ≤ 4) = 0.0059 misses it (coverage 0.988), P(X ≤ 3) = 0.0013 keeps it: k = 4
    assert.equal(medianInterval(values, 0.99)!.low, 4);
  });

  it('covers the true median of noisy values about as often as it says', () => {
    let seed = 7;
    const uniform = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const values = Array.from({ length: 10 }, () => 1 + (uniform() - 0.5) * 0.2);
      const interval = medianInterval(values)!;
      if (interval.low <= 1 && 1 <= interval.high) covered++;
    }
    // coverage of n = 10 at k = 2: 1 − 2 · 11/1024 = 0.9785
    assert.ok(Math.abs(covered / trials - 0.9785) < 0.015, String(covered / trials));
  });
});
