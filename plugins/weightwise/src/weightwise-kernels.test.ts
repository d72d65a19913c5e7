import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams, type NetworkKernels, type TrainOptions, type WeightBatch } from '@srnn/core';
import { ACTIVATIONS, MATRIX_LAYOUTS, mlpKernelCode, type KernelCode } from '@srnn/mlp';
import { randomPopulation, indices, assertKernelsIdentical, assertSameBits, registryOf, shapeGrid } from '@srnn/testing';
import { WeightwiseJsKernels, type ClosedForm } from './weightwise-js-kernels';
import { WeightwiseNetwork, type WeightwiseOptions } from './weightwise-network';
import weightwiseModule from './weightwise-module';

const registry = registryOf(weightwiseModule);
const js = registry.backend('js');

const shapes: WeightwiseOptions[] = [
  ...shapeGrid<WeightwiseOptions>({ width: 3, depth: 2, activation: 'linear', bias: false, layout: 'out-in' }),
  { width: 2, depth: 0, activation: 'tanh', bias: true, layout: 'out-in' },
  // More than 64 weights: the js kernel loops over rows instead of unrolling them.
  { width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out' },
];

const label = (o: WeightwiseOptions) => `${o.activation}, bias ${o.bias}, ${o.layout}, ${o.width}×${o.depth}`;

/** Mean squared error of params ◁ data against data's own weights, in float64 from the apply kernel. */
function lossOf(kernels: NetworkKernels, params: Float32Array, data: Float32Array): number {
  const out = new Float32Array(data.length);
  kernels.apply({ data: params, index: indices(0) }, { data, index: indices(0) }, { data: out, index: indices(0) });
  return out.reduce((sum, y, i) => sum + (y - data[i]) ** 2, 0) / data.length;
}

describe('weightwise gradients match finite differences of the loss (js kernels)', () => {
  for (const options of shapes) {
    it(label(options), () => {
      const net = new WeightwiseNetwork(options);
      const kernels = registry.kernelsFor(net, js);
      const W = net.weightCount;
      const all = randomPopulation(net, 2, 11);
      const params = all.slice(0, W);
      const data = all.slice(W, 2 * W);
      // One SGD step with lr 1 moves the weights by exactly -gradient.
      const stepped = params.slice();
      kernels.train({ data: stepped, index: indices(0) }, { data, index: indices(0) }, { lr: 1, momentum: 0, batch: 'full' });
      const h = 1e-2;
      for (let k = 0; k < W; k++) {
        const plus = params.slice();
        const minus = params.slice();
        plus[k] += h;
        minus[k] -= h;
        const numeric = (lossOf(kernels, plus, data) - lossOf(kernels, minus, data)) / (2 * h);
        const analytic = params[k] - stepped[k];
        assert.ok(Math.abs(numeric - analytic) <= 2e-3 * Math.max(1, Math.abs(numeric)), `weight ${k}: ${analytic} vs numeric ${numeric}`);
      }
    });
  }
});

describe('weightwise training semantics', () => {
  const net = new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });
  const kernels = registry.kernelsFor(net, js);

  it('learning from a partner trains on the partner’s rows and leaves the partner unchanged', () => {
    const w = randomPopulation(net, 2, 9);
    const partner = w.slice(14);
    const self = w.slice(0, 14);
    kernels.train({ data: w, index: indices(0) }, { data: w, index: indices(1) }, { lr: 0.04, momentum: 0, batch: 'full' });
    assert.deepEqual(w.slice(14), partner);
    const separately = self.slice();
    kernels.train({ data: separately, index: indices(0) }, { data: partner, index: indices(0) }, { lr: 0.04, momentum: 0, batch: 'full' });
    assert.deepEqual(w.slice(0, 14), separately);
  });

  it('a batch-1 epoch takes one step per row in a seeded random order', () => {
    const run = (seed: number) => {
      const w = randomPopulation(net, 1, 2);
      kernels.train({ data: w, index: indices(0) }, { data: w, index: indices(0) }, { lr: 0.01, momentum: 0, batch: 1, rng: new RandomStreams(seed).stream('order') });
      return w;
    };
    assert.deepEqual(run(1), run(1));
    assert.notDeepEqual(run(1), run(2), 'the row order matters');
    const full = randomPopulation(net, 1, 2);
    kernels.train({ data: full, index: indices(0) }, { data: full, index: indices(0) }, { lr: 0.01, momentum: 0, batch: 'full' });
    assert.notDeepEqual(run(1), full);
  });

  it('refuses momentum without a buffer and batch 1 without an rng', () => {
    const w = randomPopulation(net, 1, 2);
    const b = { data: w, index: indices(0) };
    assert.throws(() => kernels.train(b, b, { lr: 0.01, momentum: 0.9, batch: 'full' }), /momentum buffer/);
    assert.throws(() => kernels.train(b, b, { lr: 0.01, momentum: 0, batch: 1 }), /rng/);
  });
});

describe('weightwise js kernels with weights in arrays compute what those with locals compute, bit for bit', () => {
  const sizes: WeightwiseOptions[] = [
    { width: 3, depth: 2, activation: 'sigmoid', bias: true, layout: 'out-in' },
    ...ACTIVATIONS.map((activation, a): WeightwiseOptions => ({ width: 9, depth: 2, activation, bias: a % 2 === 0, layout: MATRIX_LAYOUTS[a % 2] })),
    { width: 20, depth: 1, activation: 'tanh', bias: false, layout: 'in-out' },
    { width: 5, depth: 0, activation: 'relu', bias: true, layout: 'out-in' },
  ];
  for (const options of sizes) {
    it(label(options), () => {
      const net = new WeightwiseNetwork(options);
      const of = (code: KernelCode) => new WeightwiseJsKernels(net.layout, options.activation, net.positions, { apply: code, train: code });
      assertKernelsIdentical([of('locals'), of('arrays')], randomPopulation(net, 4, 8), net.weightCount);
    });
  }

  it('large networks keep their weights in arrays', () => {
    assert.deepEqual(mlpKernelCode(14), { apply: 'locals', train: 'locals' });
    assert.deepEqual(mlpKernelCode(66_816), { apply: 'arrays', train: 'arrays' });
  });
});

/**
 * The kernels called one network at a time on copies of its rows (at offset 0, with a loss array
 * of its own): a reference for the batch loop of the generated code — its offsets from the index
 * arrays, the loss at the network's batch position, the order of the batch-1 draws, the fallback
 * of a network with a non-finite weight or input.
 */
function perNetwork(kernels: NetworkKernels, W: number): NetworkKernels {
  const zero = indices(0);
  const row = (batch: WeightBatch, b: number): WeightBatch => ({ data: batch.data.slice(batch.index[b] * W, (batch.index[b] + 1) * W), index: zero });
  const back = (copy: WeightBatch, batch: WeightBatch, b: number) => batch.data.set(copy.data, batch.index[b] * W);
  return {
    samplesPerNetwork: kernels.samplesPerNetwork,
    apply(fn, input, out) {
      for (let b = 0; b < fn.index.length; b++) {
        const result = row(out, b);
        kernels.apply(row(fn, b), row(input, b), result);
        back(result, out, b);
      }
    },
    train(params, data, options, loss) {
      for (let b = 0; b < params.index.length; b++) {
        const [p, buffer] = [row(params, b), options.momentumBuffer && row(options.momentumBuffer, b)];
        const own = loss?.slice(0, 1);
        kernels.train(p, row(data, b), { ...options, momentumBuffer: buffer }, own);
        back(p, params, b);
        if (buffer) back(buffer, options.momentumBuffer!, b);
        if (loss) loss[b] = own![0];
      }
    },
    dispose() {},
  };
}

describe('weightwise js kernels loop over the batch in the generated code: the bits of one network at a time', () => {
  const cases: [WeightwiseOptions, ClosedForm[]][] = [
    [{ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' }, ['plain', 'all', 'off']],
    [{ width: 3, depth: 1, activation: 'linear', bias: false, layout: 'in-out' }, ['all']],
    [{ width: 2, depth: 1, activation: 'tanh', bias: true, layout: 'out-in' }, ['plain']],
    [{ width: 5, depth: 0, activation: 'relu', bias: true, layout: 'out-in' }, ['plain']],
    // More than 64 weights: looped rows, no guard.
    [{ width: 6, depth: 3, activation: 'sigmoid', bias: true, layout: 'in-out' }, ['plain']],
  ];
  const P = 8;
  // Non-contiguous batches, each entry at other rows of params, data, momentum and output.
  const params = indices(5, 0, 3, 6, 1);
  const partners = indices(2, 4, 1, 7, 0);
  const buffers = indices(1, 6, 0, 4, 7);

  for (const [options, closedForms] of cases) {
    for (const closedForm of closedForms) {
      for (const code of ['locals', 'arrays'] as const) {
        it(`${label(options)}, closed form ${closedForm}, ${code}`, () => {
          const net = new WeightwiseNetwork(options);
          const W = net.weightCount;
          const kernels = new WeightwiseJsKernels(net.layout, options.activation, net.positions, { apply: code, train: code }, closedForm);
          // The reference has its weights in arrays (no folded code, no guard) and no closed form
          // where that is bit-identical (plain SGD; with momentum the closed form's buffers differ).
          const general = new WeightwiseJsKernels(net.layout, options.activation, net.positions, { apply: 'arrays', train: 'arrays' }, closedForm === 'all' ? 'all' : 'off');
          // Except in float64 from the wide range: there products can overflow from finite weights,
          // which the guard does not see (it looks at the inputs), and the folded code differs.
          const referenceOf = (population: string, precision: number) => perNetwork(population === 'wide range' && precision === 64 ? kernels : general, W);
          const diverged = randomPopulation(net, P, 21);
          // A NaN and an infinite weight in the batch's middle networks and an infinite row of a partner: they take the unfolded code.
          diverged[3 * W + 2] = Number.NaN;
          diverged[6 * W + 3] = Infinity;
          const divergedPartners = randomPopulation(net, P, 22);
          divergedPartners[7 * W + 4] = Infinity;
          // Magnitudes ±2³⁰ and ±2⁻³⁰: networks that overflow within the three steps, then take the unfolded code.
          const wide = (from: Float32Array) => from.map((v, i) => Math.sign(v) * 2 ** ((i * 7) % 3 === 0 ? 30 : -30));
          const populations = [
            ['non-finite', diverged, divergedPartners],
            ['wide range', wide(diverged), wide(divergedPartners)],
          ] as const;
          for (const [[population, start, partnerStart], precision] of populations.flatMap((p) => [32, 64].map((precision) => [p, precision] as const))) {
            const array = (from: ArrayLike<number>) => (precision === 32 ? Float32Array.from(from) : (Float64Array.from(from) as unknown as Float32Array));
            const where = (what: string) => `${what} (${population}, float${precision})`;
            const reference = referenceOf(population, precision);
            const applied = [kernels, reference].map((k) => {
              const out = array(start).fill(-7);
              k.apply({ data: array(start), index: params }, { data: array(partnerStart), index: partners }, { data: out, index: buffers });
              return out;
            });
            assertSameBits(applied[0], applied[1], where('apply'));
            // Self-application in place: the kernels then read the inputs from the weights loaded (the reference from copies).
            const selfApplied = [kernels, reference].map((k) => {
              const w = array(start);
              for (let s = 0; s < 3; s++) k.apply({ data: w, index: params }, { data: w, index: params }, { data: w, index: params });
              return w;
            });
            assertSameBits(selfApplied[0], selfApplied[1], where('self-application in place'));
            for (const [momentum, batch] of [
              [0, 'full'],
              [0.9, 'full'],
              [0, 1],
              [0.9, 1],
            ] as const) {
              for (const withLoss of [true, false]) {
                for (const self of [true, false]) {
                  const trained = [kernels, reference].map((k) => {
                    const w = array(start);
                    const data = self ? { data: w, index: params } : { data: array(partnerStart), index: partners };
                    const buffer = array(start.map((_, i) => (i % 3) * 0.01));
                    const loss = withLoss ? array(Array<number>(params.length + 2).fill(-7)) : undefined;
                    const rng = new RandomStreams(5).stream('order');
                    const train: TrainOptions = { lr: 0.02, momentum, batch, rng, momentumBuffer: { data: buffer, index: buffers } };
                    for (let s = 0; s < 3; s++) k.train({ data: w, index: params }, data, train, loss);
                    return { w, buffer, loss, next: rng.next() };
                  });
                  const what = where(`train momentum ${momentum}, batch ${batch}, ${withLoss ? 'with' : 'without'} the loss, ${self ? 'self' : 'from partners'}`);
                  assertSameBits(trained[0].w, trained[1].w, `${what}: weights`);
                  assertSameBits(trained[0].buffer, trained[1].buffer, `${what}: momentum buffer`);
                  if (withLoss) assertSameBits(trained[0].loss!, trained[1].loss!, `${what}: loss`);
                  // batch 1 shuffles one order of the W rows per network and step, full batch none
                  const draws = new RandomStreams(5).stream('order');
                  if (batch === 1) for (let k = 0; k < 3 * params.length; k++) draws.shuffle(new Int32Array(W));
                  assert.equal(trained[0].next, draws.next(), `${what}: the draws from the rng`);
                  assert.equal(trained[1].next, trained[0].next, `${what}: the draws from the rng (reference)`);
                }
              }
            }
          }
        });
      }
    }
  }
});
