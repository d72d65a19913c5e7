import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Classifier, PARTICLE_CLASSES } from '@srnn/core';
import type { MatrixLayout } from '@srnn/mlp';
import { RecurrentNetwork, recurrentModule } from '@srnn/recurrent';
import { registryOf } from '@srnn/testing';
import tfjsBackendModule from '../tfjs-backend-module';

const registry = registryOf(recurrentModule, tfjsBackendModule);
const tfjs = registry.backend('tfjs');
before(() => tfjs.init());

/** The class of a default-shaped (17 weights, linear, no bias) recurrent net on tfjs. */
function classOnTfjs(weights: number[], layout: MatrixLayout = 'out-in'): string {
  const net = new RecurrentNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout });
  const classifier = new Classifier(registry.kernelsFor(net, tfjs), net.weightCount, { epsilon: 1e-5, strict: false });
  return PARTICLE_CLASSES[classifier.classify({ data: Float32Array.from(weights), index: Int32Array.of(0) })[0]];
}

/** y_t = x_t: 1 on the path input → unit 0 → unit 0 → output (flat 0, 6 and 14), see the recurrent package's classification tests. */
const passThrough = (): number[] => Array.from({ length: 17 }, (_, i) => (i === 0 || i === 6 || i === 14 ? 1 : 0));

describe('classification of recurrent networks (PAPER.md §2)', () => {
  for (const layout of ['out-in', 'in-out'] as const) {
    it(`a linear pass-through net is a non-trivial fixpoint (${layout}, tfjs)`, () => {
      assert.equal(classOnTfjs(passThrough(), layout), 'fixpoint');
    });
  }

  it('infinite weights are divergent (tfjs)', () => {
    assert.equal(classOnTfjs([Infinity, ...new Array(16).fill(0)]), 'divergent');
  });
});
