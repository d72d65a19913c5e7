import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RandomStreams, type TrainOptions } from '@srnn/core';
import { ReducedMlpJsKernels, type Activation, type KernelCode, type MlpLayout, type ReducedMlpNetwork } from '@srnn/mlp';
import type { BackendKernels } from './backend-kernels';
import { assertAllClose, assertApplyAgrees, assertKernelsIdentical, indices, randomPopulation } from './kernel-test-support';

export interface ReducedMlpKernelSuite<O> {
  /** The network type, in the test names. */
  readonly type: string;
  /** What the reduction yields (aggregates, coefficients), in the test names. */
  readonly reduced: string;
  readonly network: (options: O) => ReducedMlpNetwork;
  /** Shapes for the gradient and backend-agreement checks, and one for the training semantics. */
  readonly shapes: readonly O[];
  readonly semantics: O;
  readonly label: (options: O) => string;
  /** The js kernels, and optionally another backend's to compare with them (see {@link describeReducedMlpAgreement}). */
  readonly js: BackendKernels<ReducedMlpNetwork>;
  readonly tfjs?: BackendKernels<ReducedMlpNetwork>;
}

/** What {@link describeReducedMlpAgreement} needs: the shapes, and the js kernels with another backend's (which the suite initialises). */
export type ReducedMlpAgreementSuite<O> = Pick<ReducedMlpKernelSuite<O>, 'type' | 'network' | 'shapes' | 'label' | 'js'> & { readonly other: BackendKernels<ReducedMlpNetwork> };

/** Float64 forward pass of one sample, written independently of the generated code. */
function referenceForward(layout: MlpLayout, activation: Activation, w: ArrayLike<number>, x: ArrayLike<number>): number[] {
  const f = { linear: (v: number) => v, sigmoid: (v: number) => 1 / (1 + Math.exp(-v)), tanh: Math.tanh, relu: (v: number) => Math.max(0, v) }[activation];
  let a = Array.from(x);
  layout.layers.forEach((layer, l) => {
    a = Array.from({ length: layer.outputs }, (_, o) => {
      let sum = layer.biasOffset >= 0 ? w[layer.biasOffset + o] : 0;
      for (let i = 0; i < layer.inputs; i++) sum += w[layout.weightIndex(l, o, i)] * a[i];
      return f(sum);
    });
  });
  return a;
}

/** MSE over the k outputs of `params` on the reduced values of `data`, in float64. */
function referenceLoss(net: ReducedMlpNetwork, params: ArrayLike<number>, data: Float32Array): number {
  const x = new Float64Array(net.reduction.size);
  net.reduction.reduce(data, 0, x);
  const y = referenceForward(net.layout, net.options.activation, params, x);
  return y.reduce((sum, v, i) => sum + (v - x[i]) ** 2, 0) / y.length;
}

const kernelsOf = (net: ReducedMlpNetwork, { backend, provider }: BackendKernels<ReducedMlpNetwork>, seed = 4) => provider.create(net, backend, new RandomStreams(seed).stream('kernels'));

/**
 * The kernel tests every reduced-MLP network type passes on its js kernels: gradients against
 * finite differences of an independent float64 forward pass, js with weights in locals against
 * js with weights in arrays (bit for bit), and the training semantics; with `tfjs`, also
 * {@link describeReducedMlpAgreement} against those kernels.
 */
export function describeReducedMlpKernels<O>({ type, reduced, network, shapes, semantics, label, js, tfjs }: ReducedMlpKernelSuite<O>): void {
  describe(`${type} gradients match finite differences of the loss (js kernels)`, () => {
    for (const options of shapes) {
      it(label(options), () => {
        const net = network(options);
        const kernels = kernelsOf(net, js);
        const W = net.weightCount;
        const all = randomPopulation(net, 2, 11);
        const params = all.slice(0, W);
        const data = all.slice(W, 2 * W);
        // One SGD step with lr 1 moves the weights by exactly -gradient.
        const stepped = params.slice();
        const loss = new Float32Array(1);
        kernels.train({ data: stepped, index: indices(0) }, { data, index: indices(0) }, { lr: 1, momentum: 0, batch: 'full' }, loss);
        assert.ok(Math.abs(loss[0] - referenceLoss(net, params, data)) <= 1e-6 * Math.max(1, loss[0]), 'the reported loss is the MSE before the step');
        const h = 1e-4;
        for (let k = 0; k < W; k++) {
          const plus = Float64Array.from(params);
          const minus = Float64Array.from(params);
          plus[k] += h;
          minus[k] -= h;
          const numeric = (referenceLoss(net, plus, data) - referenceLoss(net, minus, data)) / (2 * h);
          const analytic = params[k] - stepped[k];
          assert.ok(Math.abs(numeric - analytic) <= 1e-5 * Math.max(1, Math.abs(numeric)), `weight ${k}: ${analytic} vs numeric ${numeric}`);
        }
      });
    }
  });

  describe(`${type} js kernels with weights in arrays compute what those with locals compute, bit for bit`, () => {
    for (const options of shapes) {
      it(label(options), () => {
        const net = network(options);
        const of = (code: KernelCode) => new ReducedMlpJsKernels(net.layout, net.options.activation, net.reduction, new RandomStreams(4).stream('kernels'), { apply: code, train: code });
        assertKernelsIdentical([of('locals'), of('arrays')], randomPopulation(net, 4, 8), net.weightCount);
      });
    }
  });

  describe(`${type} js kernels with the reduction fused into generated code compute what reduce and expand compute, bit for bit`, () => {
    for (const options of shapes) {
      it(label(options), () => {
        const net = network(options);
        const { reduction } = net;
        // The same reduction without its source: the kernels call reduce and expand.
        const called = { size: reduction.size, draws: reduction.draws, reduce: reduction.reduce.bind(reduction), expand: reduction.expand.bind(reduction) };
        const of = (r: typeof reduction) => new ReducedMlpJsKernels(net.layout, net.options.activation, r, new RandomStreams(4).stream('kernels'), { apply: 'locals', train: 'locals' });
        assertKernelsIdentical([of(reduction), of(called)], randomPopulation(net, 4, 8), net.weightCount);
      });
    }
  });

  describe(`${type} training semantics`, () => {
    const net = network(semantics);
    const kernels = kernelsOf(net, js);
    const W = net.weightCount;
    const one = indices(0);

    it(`learning from a partner trains on the partner’s ${reduced} and leaves the partner unchanged`, () => {
      const w = randomPopulation(net, 2, 9);
      const partner = w.slice(W);
      kernels.train({ data: w, index: one }, { data: w, index: indices(1) }, { lr: 0.04, momentum: 0, batch: 'full' });
      assert.deepEqual(w.slice(W), partner);
      const separately = randomPopulation(net, 2, 9).slice(0, W);
      kernels.train({ data: separately, index: one }, { data: partner, index: one }, { lr: 0.04, momentum: 0, batch: 'full' });
      assert.deepEqual(w.slice(0, W), separately);
    });

    it('a batch-1 epoch is the single step of a full batch: one sample per network', () => {
      assert.equal(kernels.samplesPerNetwork, 1);
      const full = randomPopulation(net, 1, 2);
      const single = full.slice();
      kernels.train({ data: full, index: one }, { data: full, index: one }, { lr: 0.04, momentum: 0, batch: 'full' });
      kernels.train({ data: single, index: one }, { data: single, index: one }, { lr: 0.04, momentum: 0, batch: 1, rng: new RandomStreams(1).stream('order') });
      assert.deepEqual(single, full);
    });

    it('momentum accumulates PyTorch-style: buf ← momentum·buf + grad, w ← w − lr·buf', () => {
      const w = randomPopulation(net, 1, 3);
      const plain = w.slice();
      const buffer = new Float32Array(W);
      const batch = { data: w, index: one };
      const options: TrainOptions = { lr: 0.1, momentum: 0.5, batch: 'full', momentumBuffer: { data: buffer, index: one } };
      kernels.train(batch, batch, options);
      // The first step equals plain SGD, and the buffer holds the gradient.
      kernels.train({ data: plain, index: one }, { data: plain, index: one }, { lr: 0.1, momentum: 0, batch: 'full' });
      assert.deepEqual(w, plain);
      const before = w.slice();
      const gradient = buffer.slice();
      kernels.train(batch, batch, options);
      const fresh = before.slice();
      kernels.train({ data: fresh, index: one }, { data: fresh, index: one }, { lr: 1, momentum: 0, batch: 'full' });
      for (let k = 0; k < W; k++) {
        const expected = 0.5 * gradient[k] + (before[k] - fresh[k]);
        assert.ok(Math.abs(buffer[k] - expected) <= 1e-6, `buffer ${k}: ${buffer[k]} vs ${expected}`);
        assert.ok(Math.abs(w[k] - (before[k] - 0.1 * buffer[k])) <= 1e-6, `weight ${k}`);
      }
    });

    it(`self-training lowers the loss of reproducing one’s own ${reduced}`, () => {
      const w = randomPopulation(net, 1, 6);
      const batch = { data: w, index: one };
      const loss = new Float32Array(1);
      kernels.train(batch, batch, { lr: 0.04, momentum: 0, batch: 'full' }, loss);
      const first = loss[0];
      for (let s = 0; s < 200; s++) kernels.train(batch, batch, { lr: 0.04, momentum: 0, batch: 'full' }, loss);
      assert.ok(loss[0] < first, `${loss[0]} < ${first}`);
    });

    it('refuses momentum without a buffer', () => {
      const w = randomPopulation(net, 1, 2);
      const b = { data: w, index: one };
      assert.throws(() => kernels.train(b, b, { lr: 0.01, momentum: 0.9, batch: 'full' }), /momentum buffer/);
    });
  });
  if (tfjs) describeReducedMlpAgreement({ type, network, shapes, label, js, other: tfjs });
}

/**
 * The js kernels of a reduced-MLP network type against another backend's (the backend package
 * calls it): NaN spreading, apply, training with momentum, batch full and 1, self and learning from partners.
 */
export function describeReducedMlpAgreement<O>({ type, network, shapes, label, js, other }: ReducedMlpAgreementSuite<O>): void {
  before(() => other.backend.init());
  describe(`${type} js and ${other.backend.name} kernels agree within float32 tolerance`, () => {
    const P = 5;
    const close = (a: Float32Array, b: Float32Array, what: string) => assertAllClose(a, b, `${what} (js vs ${other.backend.name})`);
    for (const options of shapes) {
      it(label(options), () => {
        const net = network(options);
        const W = net.weightCount;
        const start = randomPopulation(net, P, 5);
        const spread = assertApplyAgrees([kernelsOf(net, js), kernelsOf(net, other)], start, W);
        // Through a hidden layer a NaN weight reaches every output; without one, only its own output.
        const poisoned = spread[0].subarray(W, 2 * W);
        assert.ok(net.layout.layers.length > 1 ? poisoned.every(Number.isNaN) : poisoned.some(Number.isNaN), 'a NaN weight in the function spreads');
        // Training with momentum, full batch and batch 1, three steps each: self-training, and learning
        // from partners (in another array: a batch entry may not read another entry's output row).
        const partners = randomPopulation(net, P, 6);
        for (const batch of ['full', 1] as const) {
          for (const learnFrom of [false, true]) {
            const results = [js, other].map((backend) => {
              const kernels = kernelsOf(net, backend);
              const w = start.slice();
              const buffer = new Float32Array(w.length);
              const loss = new Float32Array(P);
              const all = indices(0, 1, 2, 3, 4);
              const data = learnFrom ? { data: partners, index: indices(4, 0, 1, 2, 3) } : { data: w, index: all };
              const train: TrainOptions = { lr: 0.05, momentum: 0.9, batch, rng: new RandomStreams(3).stream('order'), momentumBuffer: { data: buffer, index: all } };
              for (let s = 0; s < 3; s++) kernels.train({ data: w, index: all }, data, train, loss);
              return { w, buffer, loss };
            });
            const what = `train batch ${batch}, ${learnFrom ? 'learning from partners' : 'self'}`;
            close(results[0].w, results[1].w, what);
            close(results[0].buffer, results[1].buffer, `momentum buffer, ${what}`);
            close(results[0].loss, results[1].loss, `loss, ${what}`);
            assert.notDeepEqual(results[0].w, start, 'training moves the weights');
          }
        }
      });
    }
  });
}
