import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';
import { ACTIVATIONS, MATRIX_LAYOUTS } from '@srnn/mlp';
import {
  assertKernelsIdentical,
  assertRecurrentInPlace,
  assertSameBits,
  describeRecurrentReference,
  describeRecurrentTrainingSemantics,
  indices,
  randomPopulation,
  registryOf,
  shapeGrid,
  type RecurrentKernelVariant,
} from '@srnn/testing';
import { RecurrentJsKernels, recurrentCode, type RecurrentCode } from './recurrent-js-kernels';
import { RecurrentNetwork, type RecurrentOptions } from './recurrent-network';
import recurrentModule from './recurrent-module';

const registry = registryOf(recurrentModule);
const js = registry.backend('js');

const shapes: RecurrentOptions[] = [
  ...shapeGrid<RecurrentOptions>({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' }),
  { width: 2, depth: 0, activation: 'tanh', bias: true, layout: 'out-in' },
  // 40 weights: the js kernels loop over time steps instead of unrolling them.
  { width: 3, depth: 2, activation: 'sigmoid', bias: true, layout: 'in-out' },
];
const label = (o: RecurrentOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;

/** The js kernels in every code path: time unrolled, time looped, time looped with the weights in arrays. */
function jsVariants(net: RecurrentNetwork): RecurrentKernelVariant[] {
  return (['unrolled', 'looped', 'arrays'] as const).map((code) => ({
    name: `time ${code}`,
    kernels: new RecurrentJsKernels(net.layout, net.options.activation, { apply: code, train: code }),
    exact: true,
  }));
}

describeRecurrentReference({ network: (options: RecurrentOptions) => new RecurrentNetwork(options), shapes, label, variants: jsVariants });

describe('recurrent training semantics', () => {
  const net = new RecurrentNetwork({ width: 2, depth: 2, activation: 'tanh', bias: false, layout: 'out-in' });
  const kernels = registry.kernelsFor(net, js);
  describeRecurrentTrainingSemantics({ network: net, name: 'js', kernels, js: kernels });

  it('time-unrolled and time-looped js kernels compute the same numbers', () => {
    for (const bias of [false, true]) {
      const shape = new RecurrentNetwork({ width: 2, depth: 2, activation: 'sigmoid', bias, layout: 'in-out' });
      const [{ kernels: unrolled }, { kernels: looped }] = jsVariants(shape);
      const a = randomPopulation(shape, 4, 3);
      const b = a.slice();
      const all = indices(0, 1, 2, 3);
      const partners = indices(1, 2, 3, 0);
      for (const [w, k] of [
        [a, unrolled],
        [b, looped],
      ] as const) {
        const buffer = new Float32Array(w.length);
        const train: TrainOptions = { lr: 0.05, momentum: 0.9, batch: 'full', momentumBuffer: { data: buffer, index: all } };
        for (let s = 0; s < 5; s++) {
          k.train({ data: w, index: all }, { data: w, index: all }, train);
          k.train({ data: w, index: all }, { data: w, index: partners }, train);
          k.apply({ data: w, index: partners }, { data: w, index: all }, { data: w, index: all });
        }
      }
      assert.deepEqual(a, b);
    }
  });

  it('time-looped js kernels with weights in locals and in arrays compute the same bits', () => {
    const sizes: RecurrentOptions[] = [
      ...ACTIVATIONS.map((activation, a): RecurrentOptions => ({ width: 3, depth: 2, activation, bias: a % 2 === 0, layout: MATRIX_LAYOUTS[a % 2] })),
      { width: 5, depth: 1, activation: 'tanh', bias: true, layout: 'in-out' },
      { width: 1, depth: 0, activation: 'linear', bias: false, layout: 'out-in' },
    ];
    for (const options of sizes) {
      const shape = new RecurrentNetwork(options);
      const of = (code: RecurrentCode) => new RecurrentJsKernels(shape.layout, options.activation, { apply: code, train: code });
      assertKernelsIdentical([of('looped'), of('arrays')], randomPopulation(shape, 4, 8), shape.weightCount);
    }
    assert.deepEqual(recurrentCode(66_049), { apply: 'arrays', train: 'arrays' });
  });

  it('self-training and self-application (the sequence taken from the loaded weights) compute the bits of the general kernels', () => {
    const grid: RecurrentOptions[] = [
      ...shapeGrid<RecurrentOptions>({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' }),
      { width: 1, depth: 0, activation: 'tanh', bias: false, layout: 'out-in' },
      { width: 3, depth: 1, activation: 'relu', bias: true, layout: 'in-out' },
    ];
    // A copy of the index makes a batch another entry's: the kernels then read the sequence from the data array.
    const other = (batch: WeightBatch): WeightBatch => ({ data: batch.data, index: batch.index.slice() });
    for (const options of grid) {
      const shape = new RecurrentNetwork(options);
      const kernels = new RecurrentJsKernels(shape.layout, options.activation, { apply: 'unrolled', train: 'unrolled' });
      const general: NetworkKernels = {
        samplesPerNetwork: 1,
        apply: (fn, input, out) => kernels.apply(fn, other(input), out),
        train: (params, data, train, loss) => kernels.train(params, other(data), train, loss),
        dispose: () => {},
      };
      const start = randomPopulation(shape, 4, 5);
      assertKernelsIdentical([kernels, general], start, shape.weightCount);
      const diverged = start.slice();
      diverged[shape.weightCount + 2] = -Infinity;
      for (const from of [start, diverged]) {
        const [a, b] = [from.slice(), from.slice()];
        const all = indices(0, 1, 2, 3);
        for (let s = 0; s < 3; s++) {
          kernels.apply({ data: a, index: all }, { data: a, index: all }, { data: a, index: all });
          general.apply({ data: b, index: all }, { data: b, index: all }, { data: b, index: all });
        }
        assertSameBits(a, b, `self-application in place, ${label(options)}`);
      }
    }
  });

  it('self-application in place reads the whole sequence before it is overwritten', () => {
    assertRecurrentInPlace(net, jsVariants(net));
  });
});
