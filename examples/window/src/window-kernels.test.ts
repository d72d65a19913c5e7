import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams, type TrainOptions, type WeightBatch } from '@srnn/core';
import { WindowJsKernels } from './window-js-kernels';
import type { WindowOptions } from './window-options';
import { WindowLayout, WindowNetwork } from './window-network';

type WindowActivation = WindowOptions['activation'];

/** An independent float64 reference: the outputs f(window around i) for every weight i of `target`. */
function reference(layout: WindowLayout, activation: WindowActivation, net: ArrayLike<number>, target: ArrayLike<number>): number[] {
  const { k, width, outputOffset, weightCount: W } = layout;
  const r = (k - 1) / 2;
  return Array.from({ length: W }, (_, i) => {
    let y = 0;
    for (let h = 0; h < width; h++) {
      let a = 0;
      for (let j = 0; j < k; j++) a += net[h * k + j] * target[(((i - r + j) % W) + W) % W];
      y += net[outputOffset + h] * (activation === 'tanh' ? Math.tanh(a) : a);
    }
    return y;
  });
}

/** Mean squared error of `net` on the samples of `data` (inputs: its windows, targets: its weights). */
function referenceLoss(layout: WindowLayout, activation: WindowActivation, net: ArrayLike<number>, data: ArrayLike<number>, samples?: number[]): number {
  const y = reference(layout, activation, net, data);
  const rows = samples ?? y.map((_, i) => i);
  return rows.reduce((sum, i) => sum + (y[i] - data[i]) ** 2, 0) / rows.length;
}

/** Central finite differences of the loss on the given samples, in float64. */
function numericGradient(layout: WindowLayout, activation: WindowActivation, net: ArrayLike<number>, data: ArrayLike<number>, samples?: number[]): number[] {
  const h = 1e-6;
  return Array.from({ length: layout.weightCount }, (_, j) => {
    const plus = Array.from(net);
    const minus = Array.from(net);
    plus[j] += h;
    minus[j] -= h;
    return (referenceLoss(layout, activation, plus, data, samples) - referenceLoss(layout, activation, minus, data, samples)) / (2 * h);
  });
}

/** A [rows × W] matrix of seeded random weights, as a kernel batch over every row. */
function randomRows(layout: WindowLayout, rows: number, seed: number): Float32Array {
  const rng = new RandomStreams(seed).stream('test');
  return Float32Array.from({ length: rows * layout.weightCount }, () => rng.uniform(-0.8, 0.8));
}

const rowsOf = (data: Float32Array, ...index: number[]): WeightBatch => ({ data, index: Int32Array.from(index) });
const row = (data: Float32Array, W: number, r: number) => Array.from(data.subarray(r * W, (r + 1) * W));
const plain: TrainOptions = { lr: 0.01, momentum: 0, batch: 'full' };

describe('window network', () => {
  it('has width·(2·radius + 1) hidden weights and width output weights', () => {
    assert.equal(new WindowNetwork({ radius: 1, width: 2, activation: 'linear' }).weightCount, 8);
    assert.equal(new WindowNetwork({ radius: 2, width: 3, activation: 'tanh' }).weightCount, 18);
  });

  it('initialises within U(±1/√fan_in) per layer, reproducibly', () => {
    const network = new WindowNetwork({ radius: 1, width: 2, activation: 'linear' });
    const draw = () => {
      const out = new Float32Array(8);
      network.initialize('default', out, new RandomStreams(3).stream('init'));
      return out;
    };
    const weights = draw();
    assert.deepEqual(draw(), weights);
    weights.subarray(0, 6).forEach((w) => assert.ok(Math.abs(w) <= 1 / Math.sqrt(3)));
    weights.subarray(6).forEach((w) => assert.ok(Math.abs(w) <= 1 / Math.sqrt(2)));
    assert.ok(weights.some((w) => w !== 0));
  });

  it('the hand-made copying network (hidden row 0 = centre unit vector, output weight 0 = 1) is a non-trivial fixpoint', () => {
    const layout = new WindowLayout(1, 2);
    const kernels = new WindowJsKernels(layout, 'linear');
    const copier = Float32Array.from([0, 1, 0, 0, 0, 0, 1, 0]);
    const out = new Float32Array(8);
    kernels.apply(rowsOf(copier, 0), rowsOf(copier, 0), rowsOf(out, 0));
    assert.deepEqual(out, copier);
    // it copies any network, not only itself
    const other = randomRows(layout, 1, 5);
    kernels.apply(rowsOf(copier, 0), rowsOf(other, 0), rowsOf(out, 0));
    assert.deepEqual(out, other);
  });

  for (const activation of ['linear', 'tanh'] as const) {
    it(`applies f to the circular window around each weight, as the reference does (${activation})`, () => {
      const layout = new WindowLayout(2, 3);
      const W = layout.weightCount;
      const weights = randomRows(layout, 3, 7);
      const out = new Float32Array(2 * W);
      new WindowJsKernels(layout, activation).apply(rowsOf(weights, 0, 1), rowsOf(weights, 2, 0), rowsOf(out, 1, 0));
      const expected = [reference(layout, activation, row(weights, W, 0), row(weights, W, 2)), reference(layout, activation, row(weights, W, 1), row(weights, W, 0))];
      row(out, W, 1).forEach((v, i) => assert.ok(Math.abs(v - expected[0][i]) < 1e-6, `row 0, weight ${i}`));
      row(out, W, 0).forEach((v, i) => assert.ok(Math.abs(v - expected[1][i]) < 1e-6, `row 1, weight ${i}`));
    });
  }

  it('self-application may write over its own input (an entry aliasing itself)', () => {
    const layout = new WindowLayout(1, 2);
    const kernels = new WindowJsKernels(layout, 'tanh');
    const weights = randomRows(layout, 2, 11);
    const separate = new Float32Array(8);
    kernels.apply(rowsOf(weights, 1), rowsOf(weights, 1), rowsOf(separate, 0));
    kernels.apply(rowsOf(weights, 1), rowsOf(weights, 1), rowsOf(weights, 1));
    assert.deepEqual(weights.subarray(8), separate);
  });

  for (const activation of ['linear', 'tanh'] as const) {
    it(`a full-batch step is −lr × the gradient of the mean squared error; the loss is the one before the step (${activation})`, () => {
      const layout = new WindowLayout(1, 2);
      const W = layout.weightCount;
      const weights = randomRows(layout, 2, 13);
      const [net, data] = [row(weights, W, 0), row(weights, W, 1)];
      const loss = new Float32Array(1);
      new WindowJsKernels(layout, activation).train(rowsOf(weights, 0), rowsOf(weights, 1), plain, loss);
      const gradient = numericGradient(layout, activation, net, data);
      row(weights, W, 0).forEach((w, j) => assert.ok(Math.abs((net[j] - w) / plain.lr - gradient[j]) < 2e-3, `weight ${j}: ${(net[j] - w) / plain.lr} vs ${gradient[j]}`));
      assert.ok(Math.abs(loss[0] - referenceLoss(layout, activation, net, data)) < 1e-6);
      assert.deepEqual(row(weights, W, 1), data, 'the data row is left alone');
    });
  }

  it('self-training (params = data) takes its inputs and targets before the update', () => {
    const layout = new WindowLayout(1, 2);
    const weights = randomRows(layout, 1, 17);
    const copy = Float32Array.from([...weights, ...weights]);
    const kernels = new WindowJsKernels(layout, 'linear');
    kernels.train(rowsOf(weights, 0), rowsOf(weights, 0), plain);
    kernels.train(rowsOf(copy, 0), rowsOf(copy, 1), plain);
    assert.deepEqual(weights, copy.subarray(0, 8));
  });

  it('momentum is PyTorch-style: buf ← momentum·buf + grad; w ← w − lr·buf', () => {
    const layout = new WindowLayout(1, 2);
    const W = layout.weightCount;
    const kernels = new WindowJsKernels(layout, 'tanh');
    const weights = randomRows(layout, 2, 19);
    const w0 = row(weights, W, 0);
    const buffer = new Float32Array(W);
    const withMomentum: TrainOptions = { ...plain, momentum: 0.9, momentumBuffer: rowsOf(buffer, 0) };
    assert.throws(() => kernels.train(rowsOf(weights, 0), rowsOf(weights, 1), { ...plain, momentum: 0.9 }), /momentum buffer/);
    kernels.train(rowsOf(weights, 0), rowsOf(weights, 1), withMomentum);
    const w1 = row(weights, W, 0);
    // a plain step from w1 gives the second gradient
    const probe = Float32Array.from([...w1, ...row(weights, W, 1)]);
    kernels.train(rowsOf(probe, 0), rowsOf(probe, 1), plain);
    kernels.train(rowsOf(weights, 0), rowsOf(weights, 1), withMomentum);
    row(weights, W, 0).forEach((w, j) => {
      const expected = probe[j] - 0.9 * (w0[j] - w1[j]);
      assert.ok(Math.abs(w - expected) < 1e-6, `weight ${j}: ${w} vs ${expected}`);
    });
  });

  it('batch 1 is one epoch of single-sample steps in the order the rng draws; the loss is their mean before each step', () => {
    const layout = new WindowLayout(1, 2);
    const W = layout.weightCount;
    const kernels = new WindowJsKernels(layout, 'linear');
    const weights = randomRows(layout, 2, 23);
    const data = row(weights, W, 1);
    assert.throws(() => kernels.train(rowsOf(weights, 0), rowsOf(weights, 1), { ...plain, batch: 1 }), /rng/);

    const order = new RandomStreams(29).stream('order').shuffle(Int32Array.from({ length: W }, (_, i) => i));
    let net = row(weights, W, 0);
    let expectedLoss = 0;
    for (const i of order) {
      expectedLoss += referenceLoss(layout, 'linear', net, data, [i]) / W;
      const gradient = numericGradient(layout, 'linear', net, data, [i]);
      net = net.map((w, j) => w - plain.lr * gradient[j]);
    }
    const loss = new Float32Array(1);
    kernels.train(rowsOf(weights, 0), rowsOf(weights, 1), { ...plain, batch: 1, rng: new RandomStreams(29).stream('order') }, loss);
    row(weights, W, 0).forEach((w, j) => assert.ok(Math.abs(w - net[j]) < 1e-5, `weight ${j}: ${w} vs ${net[j]}`));
    assert.ok(Math.abs(loss[0] - expectedLoss) < 1e-6);
  });
});
