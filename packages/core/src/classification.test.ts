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
