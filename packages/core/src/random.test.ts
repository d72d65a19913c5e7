import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from './random';

const draw = (streams: RandomStreams, purpose: string, n = 5) => Array.from({ length: n }, () => streams.stream(purpose).next());

describe('seeded random streams', () => {
  it('one seed and purpose give one sequence', () => {
    assert.deepEqual(draw(new RandomStreams(7), 'init'), draw(new RandomStreams(7), 'init'));
  });

  it('different seeds or purposes give different sequences', () => {
    assert.notDeepEqual(draw(new RandomStreams(7), 'init'), draw(new RandomStreams(8), 'init'));
    assert.notDeepEqual(draw(new RandomStreams(7), 'init'), draw(new RandomStreams(7), 'noise'));
  });

  it('using a new stream does not shift an existing one', () => {
    const plain = new RandomStreams(3);
    const busy = new RandomStreams(3);
    const a = draw(plain, 'init', 10);
    const b = [...draw(busy, 'init', 4), ...draw(busy, 'partners', 100).slice(0, 0), ...draw(busy, 'init', 6)];
    assert.deepEqual(a, b);
  });

  it('uniform floats lie in [0, 1) and integers in [0, n)', () => {
    const rng = new RandomStreams(1).stream('x');
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      assert.ok(u >= 0 && u < 1);
      const k = rng.int(7);
      assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
    }
  });

  it('shuffle permutes a slice and leaves the rest alone', () => {
    const rng = new RandomStreams(1).stream('x');
    const values = Int32Array.from({ length: 20 }, (_, i) => i);
    rng.shuffle(values, 5, 10);
    assert.deepEqual(Array.from(values.subarray(0, 5)), [0, 1, 2, 3, 4]);
    assert.deepEqual(Array.from(values.subarray(15)), [15, 16, 17, 18, 19]);
    assert.deepEqual(
      [...values.subarray(5, 15)].sort((a, b) => a - b),
      [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    );
    assert.notDeepEqual(Array.from(values.subarray(5, 15)), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });
});
