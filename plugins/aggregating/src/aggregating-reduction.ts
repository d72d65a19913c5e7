import type { Rng } from '@srnn/core';
import { range, type Reduction, type ReductionSource } from '@srnn/mlp';

export const AGGREGATORS = ['average', 'max'] as const;
export type Aggregator = (typeof AGGREGATORS)[number];

export const SHUFFLES = ['none', 'random'] as const;
export type Shuffle = (typeof SHUFFLES)[number];

/**
 * The aggregating reduction (PAPER.md §1): the n flattened weights are cut into k consecutive
 * groups of ⌊n/k⌋ (leftovers join the last group); each group is reduced to its average or its
 * maximum. Expanding writes value j to every weight of group j, then, with `shuffle: random`,
 * permutes the whole vector (Fisher–Yates, drawn from the kernels' random stream).
 */
export class AggregatingReduction implements Reduction {
  /** Group j is [bounds[j], bounds[j + 1]). */
  readonly bounds: Int32Array;
  /** With `shuffle: random`, expanding draws its permutations from the kernels' random stream. */
  readonly draws: boolean;

  constructor(
    readonly weightCount: number,
    readonly size: number,
    readonly aggregator: Aggregator = 'average',
    readonly shuffle: Shuffle = 'none',
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`aggregates must be a positive integer, not ${size}`);
    if (weightCount < size) throw new Error(`${weightCount} weights cannot be cut into ${size} aggregates`);
    const group = Math.floor(weightCount / size);
    this.bounds = Int32Array.from({ length: size + 1 }, (_, j) => (j === size ? weightCount : j * group));
    this.draws = shuffle === 'random';
  }

  reduce(weights: Float32Array, offset: number, out: Float64Array): void {
    const { bounds, size } = this;
    for (let j = 0; j < size; j++) {
      const from = offset + bounds[j];
      const to = offset + bounds[j + 1];
      if (this.aggregator === 'max') {
        let max = -Infinity;
        for (let i = from; i < to; i++) max = Math.max(max, weights[i]); // NaN stays NaN
        out[j] = max;
      } else {
        let sum = 0;
        for (let i = from; i < to; i++) sum += weights[i];
        out[j] = sum / (to - from);
      }
    }
  }

  /** reduce and expand unrolled; none with `shuffle: random` (its permutation draws per call). */
  source(): ReductionSource | undefined {
    if (this.shuffle === 'random') return undefined;
    const { bounds, size, aggregator } = this;
    const group = (j: number) => range(bounds[j + 1] - bounds[j]).map((i) => bounds[j] + i);
    return {
      key: `aggregating ${aggregator} ${bounds.join(',')}`,
      reduce: (read) =>
        range(size)
          .map((j) => {
            const reads = group(j).map(read);
            const value = aggregator === 'max' ? reads.reduce((max, read) => `Math.max(${max}, ${read})`, '-Infinity') : `(0 + ${reads.join(' + ')}) / ${reads.length}`;
            return `const x${j} = ${value};`;
          })
          .join('\n'),
      expand: (values, array, offset) =>
        range(size)
          .flatMap((j) => group(j).map((i) => `${array}[${offset} + ${i}] = ${values[j]};`))
          .join('\n'),
    };
  }

  expand(values: Float64Array, out: Float32Array, offset: number, rng?: Rng): void {
    const { bounds, size } = this;
    for (let j = 0; j < size; j++) out.fill(values[j], offset + bounds[j], offset + bounds[j + 1]);
    if (this.shuffle === 'random') {
      if (!rng) throw new Error("aggregating with shuffle: random needs a random stream (the run's kernels stream)");
      rng.shuffle(out, offset, this.weightCount);
    }
  }
}
