import { formatCount, MAX_FLOATS } from '@srnn/core';
import { range, type Reduction, type ReductionSource } from '@srnn/mlp';

/**
 * The fft reduction (PAPER.md §1), with numpy's `rfft`/`irfft` normalisation: for the n flattened
 * weights x, the coefficients X_m = Σ_t x_t·e^(−2πi·m·t/n) (unnormalised), m = 0 … k/2 − 1, become
 * the k inputs (re_0, im_0, re_1, im_1, …). Expanding reads k values as k/2 coefficients Y_m, puts
 * them at the lowest frequencies of a Hermitian spectrum (Y_(n−m) = conj(Y_m), every other
 * coefficient zero) and inverse-transforms with 1/n:
 *
 *   x_t = (1/n) Σ_m c_m·(Re Y_m·cos(2π·m·t/n) − Im Y_m·sin(2π·m·t/n)),  c_m = 1 for m = 0 (and
 *   m = n/2), else 2.
 *
 * A real signal's coefficient 0 (and n/2) is real, so a finite imaginary part there has no effect
 * (as in numpy's irfft); a non-finite one still spreads, as plain arithmetic does (0·NaN = NaN).
 * n is not a power of two and k is small, so this is a direct DFT of only the needed coefficients,
 * O(n·k) in float64, with exact twiddle factors at multiples of π/2.
 */
export class FftReduction implements Reduction {
  /** Kept complex coefficients, k/2. */
  readonly coefficientCount: number;
  /** [k/2 × n] cos(2π·m·t/n) and sin(2π·m·t/n). */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** c_m / n, the inverse weight of coefficient m. */
  private readonly scale: Float64Array;

  constructor(
    readonly weightCount: number,
    readonly size: number,
  ) {
    const n = weightCount;
    if (!Number.isInteger(size) || size < 2 || size % 2 !== 0) throw new Error(`coefficients must be a positive even integer, not ${size}`);
    const K = size / 2;
    if (K > Math.floor(n / 2) + 1) throw new Error(`${n} real weights have only ${Math.floor(n / 2) + 1} independent Fourier coefficients, fewer than ${K}`);
    if (K * n > MAX_FLOATS) {
      throw new Error(
        `${formatCount(size)} coefficients of ${formatCount(n)} weights need Fourier tables of ${formatCount(K * n)} floats, more than srnn's limit of ${formatCount(MAX_FLOATS)} (2^28)`,
      );
    }
    this.coefficientCount = K;
    this.cos = new Float64Array(K * n);
    this.sin = new Float64Array(K * n);
    this.scale = new Float64Array(K);
    for (let m = 0; m < K; m++) {
      this.scale[m] = (m === 0 || 2 * m === n ? 1 : 2) / n;
      for (let t = 0; t < n; t++) {
        const [c, s] = twiddle((m * t) % n, n);
        this.cos[m * n + t] = c;
        this.sin[m * n + t] = s;
      }
    }
  }

  reduce(weights: Float32Array, offset: number, out: Float64Array): void {
    const n = this.weightCount;
    for (let m = 0; m < this.coefficientCount; m++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        const w = weights[offset + t];
        re += w * this.cos[m * n + t];
        im -= w * this.sin[m * n + t];
      }
      out[2 * m] = re;
      out[2 * m + 1] = im;
    }
  }

  /** reduce and expand unrolled, the twiddle factors as literals. */
  source(): ReductionSource {
    const n = this.weightCount;
    const K = this.coefficientCount;
    const cos = (m: number, t: number) => literal(this.cos[m * n + t]);
    const sin = (m: number, t: number) => literal(this.sin[m * n + t]);
    return {
      key: `fft ${n} ${this.size}`,
      reduce: (read) =>
        [
          range(n)
            .map((t) => `const q${t} = ${read(t)};`)
            .join('\n'),
          ...range(K).map(
            (m) =>
              `const x${2 * m} = 0 + ${range(n)
                .map((t) => `q${t} * ${cos(m, t)}`)
                .join(' + ')};\nconst x${2 * m + 1} = 0 - ${range(n)
                .map((t) => `q${t} * ${sin(m, t)}`)
                .join(' - ')};`,
          ),
        ].join('\n'),
      expand: (values, array, offset) =>
        range(n)
          .map(
            (t) =>
              `${array}[${offset} + ${t}] = 0 + ${range(K)
                .map((m) => `${literal(this.scale[m])} * (${values[2 * m]} * ${cos(m, t)} - ${values[2 * m + 1]} * ${sin(m, t)})`)
                .join(' + ')};`,
          )
          .join('\n'),
    };
  }

  expand(values: Float64Array, out: Float32Array, offset: number): void {
    const n = this.weightCount;
    const K = this.coefficientCount;
    for (let t = 0; t < n; t++) {
      let x = 0;
      for (let m = 0; m < K; m++) {
        x += this.scale[m] * (values[2 * m] * this.cos[m * n + t] - values[2 * m + 1] * this.sin[m * n + t]);
      }
      out[offset + t] = x;
    }
  }
}

/** A float64 as a JavaScript literal that reads back exactly (negative ones in parentheses). */
function literal(value: number): string {
  return Object.is(value, -0) ? '(-0)' : value < 0 ? `(${String(value)})` : String(value);
}

/** [cos, sin] of 2π·j/n, exact (0, ±1) where the angle is a multiple of π/2. */
function twiddle(j: number, n: number): [number, number] {
  if ((4 * j) % n === 0) {
    const quarter = (4 * j) / n; // 0, 1, 2, 3
    return [[1, 0, -1, 0][quarter], [0, 1, 0, -1][quarter]];
  }
  const angle = (2 * Math.PI * j) / n;
  return [Math.cos(angle), Math.sin(angle)];
}
