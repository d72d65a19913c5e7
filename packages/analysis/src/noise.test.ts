import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '@srnn/core';
import { cloneLevel, decades, perturb, perturbFixed } from './noise';

describe('noise', () => {
  it('moves every weight by at most the level, both ways about equally often', () => {
    const rng = new RandomStreams(1).stream('noise');
    const base = new Float32Array(10_000).fill(1);
    const out = perturb(base, 0.5, rng, new Float32Array(base.length));
    let up = 0;
    for (const v of out) {
      assert.ok(v >= 0.5 && v <= 1.5);
      if (v > 1) up++;
    }
    assert.ok(up > 4800 && up < 5200, `${up} of 10 000 up`);
    assert.ok(out.some((v) => Math.abs(v - 1) < 0.1) && out.some((v) => Math.abs(v - 1) > 0.4), 'magnitudes spread over [0, level)');
    assert.ok(
      base.every((v) => v === 1),
      'the input is unchanged when out is another array',
    );
  });

  it('draws the sign, then the magnitude, per weight, from the given stream', () => {
    const draws = [0.7, 0.25, 0.2, 0.5];
    const fake = { next: () => draws.shift()! } as never;
    assert.deepEqual(Array.from(perturb(Float32Array.of(1, 0), 0.1, fake)), [Math.fround(1 - 0.025), Math.fround(0.05)]);
  });

  it('rounds to float32: noise far below a weight’s resolution leaves it unchanged', () => {
    const rng = new RandomStreams(2).stream('noise');
    const out = perturb(Float32Array.of(1, 0), 1e-9, rng);
    assert.equal(out[0], 1);
    assert.notEqual(out[1], 0);
  });

  it('fixed noise moves every weight by exactly ± the level', () => {
    const rng = new RandomStreams(3).stream('noise');
    const out = perturbFixed(new Float32Array(100), 0.25, rng);
    assert.ok(out.every((v) => v === 0.25 || v === -0.25));
    assert.ok(out.some((v) => v > 0) && out.some((v) => v < 0));
  });

  it('a clone level lies in [0, noise)', () => {
    const rng = new RandomStreams(4).stream('clone-noise');
    for (let i = 0; i < 100; i++) {
      const level = cloneLevel(1e-3, rng);
      assert.ok(level >= 0 && level < 1e-3);
    }
  });

  it('decades are exact decimal powers of ten', () => {
    assert.deepEqual(decades(0, -9), [1, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9]);
    assert.deepEqual(decades(-1, -3), [0.1, 0.01, 0.001]);
  });
});
