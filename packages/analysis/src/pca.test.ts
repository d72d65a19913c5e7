import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pca, sharedPca } from './pca';

const close = (actual: number, expected: number, tolerance = 1e-9) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≈ ${expected}`);

const s = Math.SQRT1_2;
const u1 = [s, s, 0];
const u2 = [s, -s, 0];
const m = [1, 2, 3];
const at = (c1: number, c2: number) => m.map((x, i) => x + c1 * u1[i] + c2 * u2[i]);

/** Four points m ± 3·u1 and m ± 1·u2: sample covariance 6·u1u1ᵀ + (2/3)·u2u2ᵀ. */
const rows = Float64Array.from([at(3, 0), at(-3, 0), at(0, 1), at(0, -1)].flat());

describe('PCA', () => {
  it('recovers a known decomposition: mean, axes, variances and their shares', () => {
    const pca = Pca.fit(rows, 3, 2);
    m.forEach((x, i) => close(pca.mean[i], x));
    assert.equal(pca.size, 2);
    u1.forEach((x, i) => close(pca.components[0][i], x));
    u2.forEach((x, i) => close(pca.components[1][i], x));
    close(pca.variances[0], 6);
    close(pca.variances[1], 2 / 3);
    close(pca.explainedVarianceRatio[0], 0.9);
    close(pca.explainedVarianceRatio[1], 0.1);
    assert.equal(pca.fittedRows, 4);
  });

  it('projects rows onto the components: the coordinates the points were built from', () => {
    const projected = Pca.fit(rows, 3, 2).project(rows);
    [3, 0, -3, 0, 0, 1, 0, -1].forEach((x, i) => close(projected[i], x));
  });

  it('applies the fitted PCA to rows it was not fitted on', () => {
    const pca = Pca.fit(rows, 3, 2);
    const other = pca.project(Float32Array.from(at(0.5, -2)));
    close(other[0], 0.5, 1e-6);
    close(other[1], -2, 1e-6);
  });

  it('fixes each axis sign so that its largest entry is positive: mirrored data gives the same axes', () => {
    const mirrored = Float64Array.from(rows, (x, i) => 2 * m[i % 3] - x);
    const pca = Pca.fit(rows, 3, 3);
    const other = Pca.fit(mirrored, 3, 3);
    for (const [c, axis] of pca.components.entries()) {
      const largest = axis.reduce((best, x, i) => (Math.abs(x) > Math.abs(axis[best]) + 1e-12 ? i : best), 0);
      assert.ok(axis[largest] > 0);
      axis.forEach((x, i) => close(other.components[c][i], x));
    }
  });

  it('has orthonormal axes ordered by decreasing variance on random data', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const data = Float64Array.from({ length: 200 * 5 }, (_, i) => random() * (1 + (i % 5)));
    const pca = Pca.fit(data, 5, 5);
    for (let a = 0; a < 5; a++) {
      for (let b = 0; b < 5; b++) {
        const dot = pca.components[a].reduce((sum, x, i) => sum + x * pca.components[b][i], 0);
        close(dot, a === b ? 1 : 0, 1e-9);
      }
    }
    for (let c = 1; c < 5; c++) assert.ok(pca.variances[c] <= pca.variances[c - 1]);
    close(
      pca.explainedVarianceRatio.reduce((x, y) => x + y, 0),
      1,
      1e-9,
    );
  });

  it('leaves non-finite rows out of the fit and projects them to NaN', () => {
    const withNaN = Float64Array.from([...rows, NaN, 0, 0]);
    const pca = Pca.fit(withNaN, 3, 2);
    assert.equal(pca.fittedRows, 4);
    close(pca.variances[0], 6);
    const projected = pca.project(withNaN);
    assert.ok(Number.isNaN(projected[8]) && Number.isNaN(projected[9]));
  });

  it('copes with data without variance: shares are 0, projections 0', () => {
    const pca = Pca.fit(Float64Array.of(1, 2, 1, 2), 2, 2);
    assert.deepEqual(pca.explainedVarianceRatio, [0, 0]);
    assert.deepEqual(Array.from(pca.project(Float64Array.of(1, 2))), [0, 0]);
  });

  it('a shared PCA is fitted once on all trajectories and applied to each', () => {
    const first = rows.slice(0, 6);
    const second = rows.slice(6);
    const { pca, projections } = sharedPca([first, second], 3, 2);
    close(pca.variances[0], 6);
    assert.equal(projections.length, 2);
    [3, 0, -3, 0].forEach((x, i) => close(projections[0][i], x));
    [0, 1, 0, -1].forEach((x, i) => close(projections[1][i], x));
  });
});
