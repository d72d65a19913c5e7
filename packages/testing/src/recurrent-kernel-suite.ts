import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams, type NetworkKernels, type NetworkShape } from '@srnn/core';
import { range, type Activation } from '@srnn/mlp';
import { indices, randomPopulation } from './kernel-test-support';

/** What the float64 reference reads of a recurrent network's layout (structurally, as the kernels do). */
export interface RecurrentReferenceLayout {
  readonly layers: readonly { readonly units: number; readonly inputs: number; readonly biasOffset: number }[];
  kernelIndex(layer: number, unit: number, input: number): number;
  recurrentIndex(layer: number, unit: number, from: number): number;
}

/** A recurrent network as the suites read it. */
export interface RecurrentReferenceNetwork extends NetworkShape {
  readonly layout: RecurrentReferenceLayout;
  readonly options: { readonly activation: Activation };
}

/**
 * The definition of PAPER.md §1 written as plainly as possible, in float64, for tests: each layer
 * maps its input sequence to h_t = act(K x_t + R h_{t−1} + b), h_{−1} = 0; the last layer's
 * sequence (one unit) is the result.
 */
export function referenceApply(layout: RecurrentReferenceLayout, activation: Activation, w: ArrayLike<number>, x: ArrayLike<number>): number[] {
  let sequence = Array.from(x, (v) => [v]);
  layout.layers.forEach((layer, l) => {
    let h = new Array<number>(layer.units).fill(0);
    sequence = sequence.map((input) => {
      h = range(layer.units).map((o) => {
        let sum = 0;
        for (let i = 0; i < layer.inputs; i++) sum += w[layout.kernelIndex(l, o, i)] * input[i];
        for (let i = 0; i < layer.units; i++) sum += w[layout.recurrentIndex(l, o, i)] * h[i];
        if (layer.biasOffset >= 0) sum += w[layer.biasOffset + o];
        return activate(activation, sum);
      });
      return h;
    });
  });
  return sequence.map((v) => v[0]);
}

/** Mean squared error of N ◁ data against data (the self-training loss when data = N). */
export function referenceLoss(layout: RecurrentReferenceLayout, activation: Activation, w: ArrayLike<number>, data: ArrayLike<number>): number {
  const y = referenceApply(layout, activation, w, data);
  return y.reduce((sum, v, t) => sum + (v - data[t]) ** 2, 0) / y.length;
}

function activate(activation: Activation, x: number): number {
  switch (activation) {
    case 'linear':
      return x;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'relu':
      return Math.max(0, x);
  }
}

/** The gradient of the loss of params on data, read from a momentum buffer after one step with lr 0. */
export function recurrentGradientOf(kernels: NetworkKernels, params: Float32Array, data: Float32Array): Float32Array {
  const buffer = new Float32Array(params.length);
  const one = indices(0);
  kernels.train({ data: params.slice(), index: one }, { data, index: one }, { lr: 0, momentum: 0.5, batch: 'full', momentumBuffer: { data: buffer, index: one } });
  return buffer;
}

/** Named kernels for a network; `exact` ones must compute the float64 reference rounded to float32 (js), the others within float32 tolerance. */
export interface RecurrentKernelVariant {
  readonly name: string;
  readonly kernels: NetworkKernels;
  readonly exact: boolean;
}

export interface RecurrentReferenceSuite<O, N extends RecurrentReferenceNetwork> {
  readonly network: (options: O) => N;
  readonly shapes: readonly O[];
  readonly label: (options: O) => string;
  /** The kernels under test for one network. */
  readonly variants: (net: N) => readonly RecurrentKernelVariant[];
}

/** Recurrent kernels against the float64 reference: the forward pass, and BPTT gradients against finite differences of the loss. */
export function describeRecurrentReference<O, N extends RecurrentReferenceNetwork>({ network, shapes, label, variants }: RecurrentReferenceSuite<O, N>): void {
  describe('recurrent forward pass matches the plain definition (float64 reference)', () => {
    for (const options of shapes) {
      it(label(options), () => {
        const net = network(options);
        const W = net.weightCount;
        const w = randomPopulation(net, 2, 21);
        const expected = referenceApply(net.layout, net.options.activation, w.subarray(0, W), w.subarray(W));
        for (const { name, kernels, exact } of variants(net)) {
          const out = new Float32Array(W);
          kernels.apply({ data: w, index: indices(0) }, { data: w, index: indices(1) }, { data: out, index: indices(0) });
          expected.forEach((v, t) => {
            const ok = exact ? out[t] === Math.fround(v) : Math.abs(out[t] - v) <= 1e-5 * Math.max(1, Math.abs(v));
            assert.ok(ok, `${name}, step ${t}: ${out[t]} vs ${v}`);
          });
        }
      });
    }
  });

  describe('recurrent BPTT gradients match finite differences of the loss', () => {
    for (const options of shapes) {
      it(label(options), () => {
        const net = network(options);
        const W = net.weightCount;
        const all = randomPopulation(net, 2, 11);
        const params = all.slice(0, W);
        const data = all.slice(W, 2 * W);
        const h = 1e-6;
        const activation = net.options.activation;
        const numeric = Array.from({ length: W }, (_, k) => {
          const plus = Float64Array.from(params);
          const minus = Float64Array.from(params);
          plus[k] += h;
          minus[k] -= h;
          return (referenceLoss(net.layout, activation, plus, data) - referenceLoss(net.layout, activation, minus, data)) / (2 * h);
        });
        for (const { name, kernels, exact } of variants(net)) {
          const analytic = recurrentGradientOf(kernels, params, data);
          const tolerance = exact ? 1e-6 : 1e-4;
          numeric.forEach((g, k) => assert.ok(Math.abs(analytic[k] - g) <= tolerance * Math.max(1, Math.abs(g)), `${name}, weight ${k}: ${analytic[k]} vs numeric ${g}`));
        }
      });
    }
  });
}

export interface RecurrentSemanticsSuite {
  /** A tanh network without bias (the semantics checks compute its reference loss with tanh). */
  readonly network: RecurrentReferenceNetwork;
  /** The backend's name, in the test names, and its kernels for the network. */
  readonly name: string;
  readonly kernels: NetworkKernels;
  /** The js kernels, whose gradient the plain SGD step is checked against. */
  readonly js: NetworkKernels;
}

/** The training semantics of one backend's recurrent kernels. Call it inside a `describe`. */
export function describeRecurrentTrainingSemantics({ network: net, name, kernels, js }: RecurrentSemanticsSuite): void {
  const W = net.weightCount;
  it(`reports the MSE over the sequence before the update (${name})`, () => {
    const w = randomPopulation(net, 2, 9);
    const expected = [0, 1].map((k) => referenceLoss(net.layout, 'tanh', w.subarray(k * W, k * W + W), w.subarray(k * W, k * W + W)));
    const loss = new Float32Array(2);
    kernels.train({ data: w, index: indices(0, 1) }, { data: w, index: indices(0, 1) }, { lr: 0.04, momentum: 0, batch: 'full' }, loss);
    expected.forEach((v, k) => assert.ok(Math.abs(loss[k] - v) <= 1e-6 * Math.max(1, v), `network ${k}: ${loss[k]} vs ${v}`));
  });

  it(`takes one plain SGD step w − lr · ∇ on the network's own sequence (${name})`, () => {
    const w = randomPopulation(net, 1, 12);
    const gradient = recurrentGradientOf(js, w, w);
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

/** Self-application in place (N ◁ N written over N) on each variant: the whole sequence is read before it is overwritten. */
export function assertRecurrentInPlace(net: RecurrentReferenceNetwork, variants: readonly RecurrentKernelVariant[]): void {
  for (const { kernels } of variants) {
    const w = randomPopulation(net, 1, 8);
    const expected = referenceApply(net.layout, net.options.activation, w, w);
    kernels.apply({ data: w, index: indices(0) }, { data: w, index: indices(0) }, { data: w, index: indices(0) });
    expected.forEach((v, t) => assert.ok(Math.abs(w[t] - v) <= 1e-6, `step ${t}`));
  }
}
