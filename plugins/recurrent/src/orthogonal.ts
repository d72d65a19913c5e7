import type { Rng } from '@srnn/core';

/** A standard normal draw (Box–Muller; two uniforms of the stream per draw). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log(u) is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * A random n × n orthogonal matrix, row-major, as Keras' `Orthogonal` initializer (gain 1) draws
 * it: the Q of the QR decomposition of a matrix of standard normal draws (filled row-major), with
 * the signs fixed so that R has a positive diagonal — which makes Q Haar-distributed. Modified
 * Gram–Schmidt on the columns gives exactly that Q (its R's diagonal entries are column norms).
 * For n = 1 the matrix is ±1.
 */
export function orthogonalMatrix(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) q[k] = gaussian(rng);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += q[r * n + i] * q[r * n + j];
      for (let r = 0; r < n; r++) q[r * n + j] -= dot * q[r * n + i];
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += q[r * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < n; r++) q[r * n + j] /= norm;
  }
  return q;
}
