import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '@srnn/core';
import { gaussian, orthogonalMatrix } from './orthogonal';

const stream = (seed: number) => new RandomStreams(seed).stream('init');

describe('orthogonal matrices (Keras Orthogonal initializer)', () => {
  it('QᵀQ = I for n = 1 … 6', () => {
    for (let n = 1; n <= 6; n++) {
      const q = orthogonalMatrix(n, stream(n));
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          let dot = 0;
          for (let r = 0; r < n; r++) dot += q[r * n + a] * q[r * n + b];
          assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-12, `n = ${n}, (QᵀQ)[${a}][${b}] = ${dot}`);
        }
      }
    }
  });

  it('is the Q of the Gaussian matrix it drew, signs fixed so that R = QᵀA has a positive diagonal (upper triangular)', () => {
    for (let n = 2; n <= 5; n++) {
      const q = orthogonalMatrix(n, stream(10 + n));
      const again = stream(10 + n);
      const a = Array.from({ length: n * n }, () => gaussian(again));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let r = 0;
          for (let k = 0; k < n; k++) r += q[k * n + i] * a[k * n + j];
          if (i > j) assert.ok(Math.abs(r) < 1e-12, `R[${i}][${j}] = ${r}`);
          if (i === j) assert.ok(r > 0, `R[${i}][${i}] = ${r}`);
        }
      }
    }
  });

  it('1 × 1: ±1, both signs; deterministic per stream', () => {
    const rng = stream(1);
    const values = Array.from({ length: 40 }, () => orthogonalMatrix(1, rng)[0]);
    assert.ok(
      values.every((v) => v === 1 || v === -1),
      `${values}`,
    );
    assert.ok(values.includes(1) && values.includes(-1));
    assert.deepEqual(orthogonalMatrix(3, stream(5)), orthogonalMatrix(3, stream(5)));
    assert.notDeepEqual(orthogonalMatrix(3, stream(5)), orthogonalMatrix(3, stream(6)));
  });

  it('draws standard normal values', () => {
    const rng = stream(2);
    const xs = Array.from({ length: 20000 }, () => gaussian(rng));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.04, `variance ${variance}`);
    assert.ok(xs.every(Number.isFinite));
  });
});
