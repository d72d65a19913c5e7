import { PCA } from 'ml-pca';

type Rows = Float32Array | Float64Array;

/**
 * Principal component analysis of weight vectors, fitted once and applied to any rows: the basis
 * of every "shared PCA" figure (trajectories of many networks in one space, PAPER.md §4.5).
 *
 * The mean and the sample covariance (denominator n − 1) are accumulated here in float64 in one
 * pass over the rows (so a long trajectory set needs no n × W copy); the eigen-decomposition of the
 * W × W covariance is ml-pca's (ml-matrix's symmetric EVD). Rows with a non-finite value (divergent
 * networks) are left out of the fit and project to NaN. Each component's sign is fixed so that its
 * entry of largest magnitude is positive, which makes projections reproducible.
 */
export class Pca {
  private constructor(
    /** Length of a row (weights per network). */
    readonly width: number,
    /** Mean of the rows the PCA was fitted on. */
    readonly mean: Float64Array,
    /** The principal axes, unit vectors of length `width`, by decreasing variance. */
    readonly components: readonly Float64Array[],
    /** Variance of the fitted rows along each component (covariance eigenvalues). */
    readonly variances: readonly number[],
    /** Each component's share of the total variance (0 when there is no variance at all). */
    readonly explainedVarianceRatio: readonly number[],
    /** Number of (finite) rows the PCA was fitted on. */
    readonly fittedRows: number,
  ) {}

  /**
   * Fits `components` principal axes (default 2, at most `width`) to the rows of `data`
   * ([rows × width], row-major), or of several such arrays (e.g. one per trajectory).
   */
  static fit(data: Rows | readonly Rows[], width: number, components = 2): Pca {
    const blocks = Array.isArray(data) ? (data as readonly Rows[]) : [data as Rows];
    if (!Number.isInteger(width) || width <= 0) throw new Error(`row width must be a positive integer, got ${width}`);
    if (!Number.isInteger(components) || components < 1) throw new Error(`components must be a positive integer, got ${components}`);
    const k = Math.min(components, width);
    const mean = new Float64Array(width);
    let n = 0;
    for (const block of blocks) {
      checkBlock(block, width);
      for (let r = 0; r < block.length / width; r++) {
        if (!finiteRow(block, r, width)) continue;
        n++;
        for (let i = 0; i < width; i++) mean[i] += (block[r * width + i] - mean[i]) / n; // running mean
      }
    }
    const covariance = Array.from({ length: width }, () => new Float64Array(width));
    const centred = new Float64Array(width);
    for (const block of blocks) {
      for (let r = 0; r < block.length / width; r++) {
        if (!finiteRow(block, r, width)) continue;
        for (let i = 0; i < width; i++) centred[i] = block[r * width + i] - mean[i];
        for (let i = 0; i < width; i++) {
          const ci = centred[i];
          const row = covariance[i];
          for (let j = i; j < width; j++) row[j] += ci * centred[j];
        }
      }
    }
    const denominator = Math.max(n - 1, 1);
    for (let i = 0; i < width; i++) {
      for (let j = i; j < width; j++) {
        covariance[i][j] /= denominator;
        covariance[j][i] = covariance[i][j];
      }
    }
    const pca = new PCA(
      covariance.map((row) => Array.from(row)),
      { isCovarianceMatrix: true },
    );
    const vectors = pca.getEigenvectors();
    const values = pca.getEigenvalues();
    const total = values.reduce((a, v) => a + Math.max(v, 0), 0);
    const axes: Float64Array[] = [];
    const variances: number[] = [];
    for (let c = 0; c < k; c++) {
      const axis = Float64Array.from({ length: width }, (_, i) => vectors.get(i, c));
      let largest = 0;
      for (let i = 1; i < width; i++) if (Math.abs(axis[i]) > Math.abs(axis[largest]) + 1e-12) largest = i;
      if (axis[largest] < 0) for (let i = 0; i < width; i++) axis[i] = -axis[i] || 0;
      axes.push(axis);
      variances.push(Math.max(values[c], 0));
    }
    const ratios = variances.map((v) => (total > 0 ? v / total : 0));
    return new Pca(width, mean, axes, variances, ratios, n);
  }

  /** Number of components. */
  get size(): number {
    return this.components.length;
  }

  /** Coordinates of every row of `data` ([rows × width]) on the components: [rows × size], row-major. */
  project(data: Rows): Float64Array {
    checkBlock(data, this.width);
    const rows = data.length / this.width;
    const k = this.size;
    const out = new Float64Array(rows * k);
    for (let r = 0; r < rows; r++) {
      const finite = finiteRow(data, r, this.width);
      for (let c = 0; c < k; c++) {
        if (!finite) {
          out[r * k + c] = NaN;
          continue;
        }
        const axis = this.components[c];
        let sum = 0;
        for (let i = 0; i < this.width; i++) sum += (data[r * this.width + i] - this.mean[i]) * axis[i];
        out[r * k + c] = sum;
      }
    }
    return out;
  }
}

/**
 * PCA fitted once on all rows of a set of trajectories (each [steps × width]) and applied to each:
 * every trajectory's coordinates in the same space, [steps × components].
 */
export function sharedPca(trajectories: readonly Rows[], width: number, components = 2): { pca: Pca; projections: Float64Array[] } {
  const pca = Pca.fit(trajectories, width, components);
  return { pca, projections: trajectories.map((t) => pca.project(t)) };
}

function checkBlock(block: Rows, width: number): void {
  if (block.length % width !== 0) throw new Error(`${block.length} values are not rows of ${width}`);
}

function finiteRow(data: Rows, r: number, width: number): boolean {
  for (let i = r * width; i < (r + 1) * width; i++) if (!Number.isFinite(data[i])) return false;
  return true;
}
