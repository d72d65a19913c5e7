import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RandomStreams, type NetworkKernels, type TrainOptions } from '@srnn/core';
import { ACTIVATIONS, MATRIX_LAYOUTS } from '@srnn/mlp';
import { assertAllClose, assertApplyAgrees, assertKernelsIdentical, registryOf } from '@srnn/testing';
import { tfjsBackendModule, type RecurrentShape } from '@srnn/backend-tfjs';
import { RecurrentJsKernels, recurrentCode, type RecurrentCode } from './recurrent-js-kernels';
import { RecurrentNetwork, type RecurrentOptions } from './recurrent-network';
import { indices, label, randomPopulation, referenceApply, referenceLoss } from './recurrent-test-support';
import recurrentModule from './recurrent-module';

const registry = registryOf(recurrentModule, tfjsBackendModule);
const js = registry.backend('js');
const tfjs = registry.backend('tfjs');
before(() => tfjs.init());

const shapes: RecurrentOptions[] = [];
for (const activation of ACTIVATIONS) {
  for (const bias of [false, true]) {
    for (const layout of MATRIX_LAYOUTS) shapes.push({ width: 2, depth: 2, activation, bias, layout });
  }
}
shapes.push({ width: 2, depth: 0, activation: 'tanh', bias: true, layout: 'out-in' });
// 40 weights: the js kernels loop over time steps instead of unrolling them.
shapes.push({ width: 3, depth: 2, activation: 'sigmoid', bias: true, layout: 'in-out' });

/** The js kernels in every code path: time unrolled, time looped, time looped with the weights in arrays. */
function jsVariants(net: RecurrentNetwork): [string, NetworkKernels][] {
  return (['unrolled', 'looped', 'arrays'] as const).map((code) => [`time ${code}`, new RecurrentJsKernels(net.layout, net.options.activation, { apply: code, train: code })]);
}

/** The gradient of the loss of params on data, read from a momentum buffer after one step with lr 0. */
function gradientOf(kernels: NetworkKernels, params: Float32Array, data: Float32Array): Float32Array {
  const buffer = new Float32Array(params.length);
  const one = indices(0);
  kernels.train({ data: params.slice(), index: one }, { data, index: one }, { lr: 0, momentum: 0.5, batch: 'full', momentumBuffer: { data: buffer, index: one } });
  return buffer;
}

describe('recurrent forward pass matches the plain definition (float64 reference)', () => {
  for (const options of shapes) {
    it(label(options), () => {
      const net = new RecurrentNetwork(options);
      const W = net.weightCount;
      const w = randomPopulation(net, 2, 21);
      const expected = referenceApply(net.layout, options.activation, w.subarray(0, W), w.subarray(W));
      for (const [name, kernels] of [...jsVariants(net), ['tfjs', registry.kernelsFor(net, tfjs)] as const]) {
        const out = new Float32Array(W);
        kernels.apply({ data: w, index: indices(0) }, { data: w, index: indices(1) }, { data: out, index: indices(0) });
        const tolerance = name === 'tfjs' ? 1e-5 : 0;
        expected.forEach((v, t) => {
          const ok = name === 'tfjs' ? Math.abs(out[t] - v) <= tolerance * Math.max(1, Math.abs(v)) : out[t] === Math.fround(v);
          assert.ok(ok, `${name}, step ${t}: ${out[t]} vs ${v}`);
        });
      }
    });
  }
});

describe('recurrent BPTT gradients match finite differences of the loss', () => {
  for (const options of shapes) {
    it(label(options), () => {
      const net = new RecurrentNetwork(options);
      const W = net.weightCount;
      const all = randomPopulation(net, 2, 11);
      const params = all.slice(0, W);
      const data = all.slice(W, 2 * W);
      const h = 1e-6;
      const numeric = Array.from({ length: W }, (_, k) => {
        const plus = Float64Array.from(params);
        const minus = Float64Array.from(params);
        plus[k] += h;
        minus[k] -= h;
        return (referenceLoss(net.layout, options.activation, plus, data) - referenceLoss(net.layout, options.activation, minus, data)) / (2 * h);
      });
      for (const [name, kernels] of [...jsVariants(net), ['tfjs', registry.kernelsFor(net, tfjs)] as const]) {
        const analytic = gradientOf(kernels, params, data);
        const tolerance = name === 'tfjs' ? 1e-4 : 1e-6;
        numeric.forEach((g, k) => assert.ok(Math.abs(analytic[k] - g) <= tolerance * Math.max(1, Math.abs(g)), `${name}, weight ${k}: ${analytic[k]} vs numeric ${g}`));
      }
    });
  }
});

describe('js and tfjs recurrent kernels agree within float32 tolerance', () => {
  const P = 5;
  const close = (a: Float32Array, b: Float32Array, what: string, tolerance = 1e-5) => assertAllClose(a, b, `${what} (js vs tfjs)`, tolerance);
  for (const options of shapes) {
    it(label(options), () => {
      // the tfjs kernels read the network structurally: it must stay a RecurrentShape
      const net = new RecurrentNetwork(options) satisfies RecurrentShape;
      const kernels = [registry.kernelsFor(net, js), registry.kernelsFor(net, tfjs)];
      const start = randomPopulation(net, P, 5);
      const W = net.weightCount;
      // Non-finite weights spread as in plain arithmetic (0 · ∞ = NaN, also against h_{−1} = 0).
      const spread = assertApplyAgrees([kernels[0], kernels[1]], start, W);
      assert.ok(spread[0].subarray(0, 2 * W).some(Number.isNaN), 'a divergent attacker spreads NaN');
      // Self-training with momentum, three steps.
      const results = kernels.map((k) => {
        const w = start.slice();
        const buffer = new Float32Array(w.length);
        const loss = new Float32Array(P);
        const all = indices(0, 1, 2, 3, 4);
        const train: TrainOptions = { lr: 0.01, momentum: 0.9, batch: 'full', momentumBuffer: { data: buffer, index: all } };
        for (let s = 0; s < 3; s++) k.train({ data: w, index: all }, { data: w, index: all }, train, loss);
        return { w, buffer, loss: Float32Array.from(loss) };
      });
      assert.ok(results[0].w.every(Number.isFinite), 'the comparison is between finite weights');
      close(results[0].w, results[1].w, 'train');
      close(results[0].buffer, results[1].buffer, 'momentum buffer');
      close(results[0].loss, results[1].loss, 'loss');
    });
  }
});

describe('recurrent training semantics', () => {
  const net = new RecurrentNetwork({ width: 2, depth: 2, activation: 'tanh', bias: false, layout: 'out-in' });
  const W = net.weightCount;
  const backends = [
    ['js', registry.kernelsFor(net, js)],
    ['tfjs', registry.kernelsFor(net, tfjs)],
  ] as const;

  for (const [name, kernels] of backends) {
    it(`reports the MSE over the sequence before the update (${name})`, () => {
      const w = randomPopulation(net, 2, 9);
      const expected = [0, 1].map((k) => referenceLoss(net.layout, 'tanh', w.subarray(k * W, k * W + W), w.subarray(k * W, k * W + W)));
      const loss = new Float32Array(2);
      kernels.train({ data: w, index: indices(0, 1) }, { data: w, index: indices(0, 1) }, { lr: 0.04, momentum: 0, batch: 'full' }, loss);
      expected.forEach((v, k) => assert.ok(Math.abs(loss[k] - v) <= 1e-6 * Math.max(1, v), `network ${k}: ${loss[k]} vs ${v}`));
    });

    it(`takes one plain SGD step w − lr · ∇ on the network's own sequence (${name})`, () => {
      const w = randomPopulation(net, 1, 12);
      const gradient = gradientOf(registry.kernelsFor(net, js), w, w);
      const stepped = w.slice();
      kernels.train({ data: stepped, index: indices(0) }, { data: stepped, index: indices(0) }, { lr: 0.04, momentum: 0, batch: 'full' });
      w.forEach((v, k) => assert.ok(Math.abs(stepped[k] - (v - 0.04 * gradient[k])) <= 1e-6, `weight ${k}`));
    });

    it(`learning from a partner trains on the partner's sequence and leaves the partner unchanged (${name})`, () => {
      const w = randomPopulation(net, 2, 9);
      const partner = w.slice(W);
      const self = w.slice(0, W);
      kernels.train({ data: w, index: indices(0) }, { data: w, index: indices(1) }, { lr: 0.04, momentum: 0, batch: 'full' });
      assert.deepEqual(w.slice(W), partner);
      const separately = self.slice();
      kernels.train({ data: separately, index: indices(0) }, { data: partner, index: indices(0) }, { lr: 0.04, momentum: 0, batch: 'full' });
      assert.deepEqual(w.slice(0, W), separately);
      assert.notDeepEqual(separately, self);
    });

    it(`batch 1 is the same step as full: the whole sequence is the one sample (${name})`, () => {
      const full = randomPopulation(net, 3, 4);
      const single = full.slice();
      const all = indices(0, 1, 2);
      kernels.train({ data: full, index: all }, { data: full, index: all }, { lr: 0.04, momentum: 0, batch: 'full' });
      kernels.train({ data: single, index: all }, { data: single, index: all }, { lr: 0.04, momentum: 0, batch: 1, rng: new RandomStreams(1).stream('order') });
      assert.deepEqual(single, full);
      assert.equal(kernels.samplesPerNetwork, 1);
    });

    it(`refuses momentum without a buffer (${name})`, () => {
      const w = randomPopulation(net, 1, 2);
      const b = { data: w, index: indices(0) };
      assert.throws(() => kernels.train(b, b, { lr: 0.01, momentum: 0.9, batch: 'full' }), /momentum buffer/);
    });
  }

  it('time-unrolled and time-looped js kernels compute the same numbers', () => {
    for (const bias of [false, true]) {
      const shape = new RecurrentNetwork({ width: 2, depth: 2, activation: 'sigmoid', bias, layout: 'in-out' });
      const [[, unrolled], [, looped]] = jsVariants(shape);
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

  it('self-application in place reads the whole sequence before it is overwritten', () => {
    for (const [, kernels] of [...jsVariants(net), ['tfjs', registry.kernelsFor(net, tfjs)] as const]) {
      const w = randomPopulation(net, 1, 8);
      const expected = referenceApply(net.layout, 'tanh', w, w);
      kernels.apply({ data: w, index: indices(0) }, { data: w, index: indices(0) }, { data: w, index: indices(0) });
      expected.forEach((v, t) => assert.ok(Math.abs(w[t] - v) <= 1e-6, `step ${t}`));
    }
  });
});
