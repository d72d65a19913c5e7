import type { WatReduction } from './reduced-mlp-wat';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** What the aggregating kernels need of an `AggregatingReduction` (without shuffle). */
export interface AggregatingGroups {
  /** Group j is [bounds[j], bounds[j + 1]). */
  readonly bounds: Int32Array;
  readonly size: number;
  readonly aggregator: 'average' | 'max';
}

/** The aggregating reduction's source (`AggregatingReduction.source`) in WebAssembly. */
export function aggregatingWat({ bounds, size, aggregator }: AggregatingGroups): WatReduction {
  return {
    size,
    reduce(code, name) {
      const L = code.lanes;
      return range(size).map((j) => {
        const reads = range(bounds[j + 1] - bounds[j]).map((i) => L.get(`${name}${bounds[j] + i}`));
        // js: `Math.max(…Math.max(-Infinity, r0)…, rn)` or `(0 + r0 + … + rn) / count`
        const value =
          aggregator === 'max'
            ? reads.reduce((max, read) => L.max(max, read), L.constant(-Infinity))
            : L.div(
                reads.reduce((sum, read) => L.add(sum, read), L.constant(0)),
                L.constant(reads.length),
              );
        code.assign(`x${j}`, value);
        return `x${j}`;
      });
    },
    // output j to every weight of group j (float32: demoted once, splat per lane, stored 4 weights at a time)
    expand(code, outputs, base) {
      const L = code.lanes;
      if (L.storage === 'f64') {
        for (const j of range(size)) {
          for (let i = bounds[j]; i < bounds[j + 1]; i++) {
            for (const lane of range(L.lanes)) code.emit(`(v128.store64_lane offset=${(lane * code.W + i) * 8} ${lane} (local.get $${base}) ${L.get(outputs[j])})`);
          }
        }
        return;
      }
      for (const j of range(size)) {
        code.assign('scratch', `(f32x4.demote_f64x2_zero ${L.get(outputs[j])})`);
        for (const lane of range(L.lanes)) {
          const bytes = range(16).map((b) => lane * 4 + (b % 4));
          code.assign('splat', `(i8x16.shuffle ${bytes.join(' ')} (local.get $scratch) (local.get $scratch))`);
          const at = (i: number) => `offset=${(lane * code.W + i) * 4}`;
          let i = bounds[j];
          for (; i + 4 <= bounds[j + 1]; i += 4) code.emit(`(v128.store ${at(i)} (local.get $${base}) (local.get $splat))`);
          if (i + 2 <= bounds[j + 1]) {
            code.emit(`(v128.store64_lane ${at(i)} 0 (local.get $${base}) (local.get $splat))`);
            i += 2;
          }
          if (i < bounds[j + 1]) code.emit(`(v128.store32_lane ${at(i)} 0 (local.get $${base}) (local.get $splat))`);
        }
      }
    },
  };
}

/** [cos, sin] of 2π·j/n as `FftReduction` tabulates them: exact (0, ±1) where the angle is a multiple of π/2. */
function twiddle(j: number, n: number): [number, number] {
  if ((4 * j) % n === 0) {
    const quarter = (4 * j) / n;
    return [[1, 0, -1, 0][quarter], [0, 1, 0, -1][quarter]];
  }
  const angle = (2 * Math.PI * j) / n;
  return [Math.cos(angle), Math.sin(angle)];
}

/**
 * The fft reduction's source (`FftReduction.source`: a direct DFT of the lowest k/2 coefficients
 * of the n weights, and its inverse with numpy's irfft weights) in WebAssembly, for k values.
 */
export function fftWat(n: number, size: number): WatReduction {
  const K = size / 2;
  const cos = (m: number, t: number) => twiddle((m * t) % n, n)[0];
  const sin = (m: number, t: number) => twiddle((m * t) % n, n)[1];
  const scale = (m: number) => (m === 0 || 2 * m === n ? 1 : 2) / n;
  return {
    size,
    // js: x{2m} = 0 + q0 * cos + q1 * cos …; x{2m+1} = 0 - q0 * sin - q1 * sin …
    reduce(code, name) {
      const L = code.lanes;
      const q = (t: number) => L.get(`${name}${t}`);
      for (const m of range(K)) {
        code.assign(
          `x${2 * m}`,
          range(n).reduce((sum, t) => L.add(sum, L.mul(q(t), L.constant(cos(m, t)))), L.constant(0)),
        );
        code.assign(
          `x${2 * m + 1}`,
          range(n).reduce((sum, t) => L.sub(sum, L.mul(q(t), L.constant(sin(m, t)))), L.constant(0)),
        );
      }
      return range(size).map((i) => `x${i}`);
    },
    // js: out[t] = 0 + scale_m * (y{2m} * cos - y{2m+1} * sin) + …
    expand(code, outputs, base) {
      const L = code.lanes;
      const y = (i: number) => L.get(outputs[i]);
      for (const t of range(n)) {
        const terms = range(K).map((m) => L.mul(L.constant(scale(m)), L.sub(L.mul(y(2 * m), L.constant(cos(m, t))), L.mul(y(2 * m + 1), L.constant(sin(m, t))))));
        code.assign(
          `o${t}`,
          terms.reduce((sum, term) => L.add(sum, term), L.constant(0)),
        );
      }
      code.storeRows(base, 'o');
    },
  };
}
