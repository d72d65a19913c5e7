/**
 * Distances between weight vectors (PAPER.md §4.5). All are computed in float64 over vectors of
 * equal length and are 0 for identical vectors:
 * - MAE: mean |a_i − b_i|;
 * - MSE: mean (a_i − b_i)²;
 * - MIM (mean invariant Manhattan): the MAE of the two vectors after sorting each ascending, so
 *   it is 0 for any permutation of the same values.
 * A NaN anywhere gives NaN.
 */
export const DISTANCES = ['mae', 'mse', 'mim'] as const;
export type DistanceName = (typeof DISTANCES)[number];

type Vector = ArrayLike<number>;

function checkLengths(a: Vector, b: Vector): void {
  if (a.length !== b.length) throw new Error(`distance of vectors of different lengths (${a.length} and ${b.length})`);
  if (a.length === 0) throw new Error('distance of empty vectors');
}

export function mae(a: Vector, b: Vector): number {
  checkLengths(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

export function mse(a: Vector, b: Vector): number {
  checkLengths(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
}

export function mim(a: Vector, b: Vector): number {
  checkLengths(a, b);
  return mae(sorted(a), sorted(b));
}

/** Ascending copy; NaN sorts last (Float64Array.prototype.sort), and the MAE then is NaN anyway. */
function sorted(v: Vector): Float64Array {
  return Float64Array.from(v).sort();
}

export const distanceFunctions: Readonly<Record<DistanceName, (a: Vector, b: Vector) => number>> = { mae, mse, mim };

export function distance(name: DistanceName, a: Vector, b: Vector): number {
  return distanceFunctions[name](a, b);
}

/** Row k of a row-major matrix [rows × width]. */
export function rowOf(data: Float32Array | Float64Array, width: number, k: number): Float32Array | Float64Array {
  return data.subarray(k * width, (k + 1) * width);
}

/**
 * All-to-all distances of n vectors (rows of `data`, [n × width]): a symmetric [n × n] matrix,
 * row-major, with zeros on the diagonal.
 */
export function distanceMatrix(name: DistanceName, data: Float32Array | Float64Array, width: number): Float64Array {
  if (width <= 0 || data.length % width !== 0) throw new Error(`${data.length} values are not rows of ${width}`);
  const n = data.length / width;
  const f = distanceFunctions[name];
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = f(rowOf(data, width, i), rowOf(data, width, j));
      out[i * n + j] = d;
      out[j * n + i] = d;
    }
  }
  return out;
}

/**
 * The distance of every clone to its parent: `clones` [c × width], `parents` [p × width], and
 * `parentOf[k]` the row of clone k's parent in `parents`.
 */
export function distancesToParents(name: DistanceName, clones: Float32Array | Float64Array, parents: Float32Array | Float64Array, parentOf: ArrayLike<number>, width: number): Float64Array {
  const f = distanceFunctions[name];
  const out = new Float64Array(parentOf.length);
  for (let k = 0; k < parentOf.length; k++) out[k] = f(rowOf(clones, width, k), rowOf(parents, width, parentOf[k]));
  return out;
}

/** How a clone moved relative to its parent's reference weights (PAPER.md §4.5). */
export const MOVEMENTS = ['approaching', 'distancing', 'stationary'] as const;
export type Movement = (typeof MOVEMENTS)[number];

/**
 * Closer after than before: approaching; farther: distancing; exactly equal: stationary. A clone
 * whose distance after is not finite (it diverged) counts as distancing.
 */
export function movement(before: number, after: number): Movement {
  if (!Number.isFinite(after)) return 'distancing';
  if (after < before) return 'approaching';
  if (after > before) return 'distancing';
  return 'stationary';
}
