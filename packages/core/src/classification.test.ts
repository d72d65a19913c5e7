import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier, countClasses, PARTICLE_CLASSES } from './classification';
import type { NetworkKernels, WeightBatch } from './network';

/** A toy network type whose function multiplies the input weights by its own first weight. */
const scaling: NetworkKernels = {
  samplesPerNetwork: 2,
  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch) {
    fn.index.forEach((f, k) => {
      const factor = fn.data[f * 2];
      const [a, b] = [input.data[input.index[k] * 2], input.data[input.index[k] * 2 + 1]];
      out.data[out.index[k] * 2] = factor * a;
      out.data[out.index[k] * 2 + 1] = factor * b;
    });
  },
  train() {
    throw new Error('not used');
  },
  dispose() {},
};

function classes(...nets: number[][]): string[] {
  const classifier = new Classifier(scaling, 2, { epsilon: 1e-5, strict: false });
  const codes = classifier.classify({ data: Float32Array.from(nets.flat()), index: Int32Array.from(nets.keys()) });
  return Array.from(codes, (c) => PARTICLE_CLASSES[c]);
}

describe('classification order: divergent → zero → fixpoint → second-order → other', () => {
  it('classifies each kind of network', () => {
    assert.deepEqual(classes([NaN, 1], [0, 0], [1, 3], [-1, 3], [2, 3]), ['divergent', 'zero', 'fixpoint', 'second-order', 'other']);
  });

  it('counts a census of the five classes', () => {
    assert.deepEqual(countClasses(Uint8Array.of(0, 2, 2, 4)), { divergent: 1, zero: 0, fixpoint: 2, 'second-order': 0, other: 1 });
  });

  it('classifies a sub-batch of a population by index', () => {
    const classifier = new Classifier(scaling, 2, { epsilon: 1e-5, strict: false });
    const data = Float32Array.from([2, 3, 1, 5, 0, 0]);
    assert.deepEqual(Array.from(classifier.classify({ data, index: Int32Array.of(2, 1) })), [1, 2]);
  });
});

describe('classification of long rows', () => {
  const W = 8;
  /** Kernels whose outputs are given rows: the first apply gives `once`, the second `twice`. */
  function given(once: Float32Array, twice: Float32Array): NetworkKernels {
    let call = 0;
    return {
      samplesPerNetwork: W,
      apply(_fn, _input, out) {
        const source = call++ % 2 === 0 ? once : twice;
        out.index.forEach((o, k) => out.data.set(source.subarray(k * W, (k + 1) * W), o * W));
      },
      train() {
        throw new Error('not used');
      },
      dispose() {},
    };
  }
  /** PAPER.md §2 as written: every test over the whole row. */
  function reference(w: Float32Array, once: Float32Array, twice: Float32Array, k: number, epsilon: number, strict: boolean): number {
    const within = (d: number) => (strict ? d < epsilon : d <= epsilon);
    const row = (a: Float32Array) => Array.from(a.subarray(k * W, (k + 1) * W));
    const v = row(w);
    if (!v.every(Number.isFinite)) return 0;
    if (v.every((x) => within(Math.abs(x)))) return 1;
    if (row(once).every((x, i) => within(Math.abs(x - v[i])))) return 2;
    if (row(twice).every((x, i) => within(Math.abs(x - v[i])))) return 3;
    return 4;
  }

  it('equals the whole-row tests, a non-finite weight after the row is decided included', () => {
    const n = 4000;
    const epsilon = 0.25;
    // values on a grid of 0.25: differences of exactly ε, −0, and ±∞/NaN anywhere in the row
    let seed = 3;
    const draw = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pick = (): number => {
      const r = draw();
      if (r < 0.01) return [NaN, Infinity, -Infinity][Math.floor(draw() * 3)];
      if (r < 0.05) return -0;
      return Math.round((draw() - 0.5) * 4) / 4;
    };
    const w = Float32Array.from({ length: n * W }, pick);
    // some rows within ε of zero (signed zeros among them)
    for (let k = 0; k < n; k += 40)
      w.set(
        Float32Array.from({ length: W }, () => [0, -0, 0.25, -0.25][Math.floor(draw() * 4)]),
        k * W,
      );
    // most rows near a fixpoint or a second-order one, so that every class occurs
    const near = (k: number) => (draw() < 0.6 ? w[k] + [0, 0.25, -0.25, 0.5][Math.floor(draw() * 4)] : pick());
    const once = Float32Array.from({ length: n * W }, (_, k) => near(k));
    const twice = Float32Array.from({ length: n * W }, (_, k) => near(k));
    for (const strict of [false, true]) {
      const codes = new Classifier(given(once, twice), W, { epsilon, strict }).classify({ data: w, index: Int32Array.from({ length: n }, (_, k) => k) });
      const expected = Array.from({ length: n }, (_, k) => reference(w, once, twice, k, epsilon, strict));
      assert.deepEqual(Array.from(codes), expected, `strict ${strict}`);
      if (!strict) assert.deepEqual([...new Set(expected)].sort(), [0, 1, 2, 3, 4], 'every class occurs');
    }
  });
});
