import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { slowerVerdict } from './pool-benchmark';

describe('slowerVerdict', () => {
  it('is not slower at a median ≤ 1', () => {
    assert.equal(slowerVerdict([0.9, 1.2, 0.95]), 'not slower');
  });

  it('calls a median above 1 noise while its 95 % interval reaches 1', () => {
    assert.match(slowerVerdict([0.99, 1.02, 1.03, 1.04, 1.05, 1.08]), /^not slower beyond noise \(95 % interval of the median 0\.99–1\.08\)$/);
  });

  it('is SLOWER when the whole interval lies above 1', () => {
    assert.match(slowerVerdict([1.01, 1.02, 1.03, 1.04, 1.05, 1.08]), /^SLOWER \(95 % interval of the median 1\.01–1\.08\)$/);
  });

  it('says when the pairs are too few for an interval', () => {
    assert.match(slowerVerdict([1.1, 1.2]), /too few pairs \(2\).*--pool-repeats 6/);
  });
});
