import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MATRIX_LAYOUTS } from '@srnn/mlp';
import { randomPopulation } from '@srnn/testing';
import { closedFormApplies } from './weightwise-closed-form';
import { WeightwiseJsKernels } from './weightwise-js-kernels';
import { WeightwiseNetwork, type WeightwiseOptions } from './weightwise-network';

const shapes: WeightwiseOptions[] = [];
for (const layout of MATRIX_LAYOUTS) {
  for (const [width, depth] of [
    [2, 2],
    [3, 2],
    [2, 0],
    [1, 1],
    [2, 4],
  ]) {
    shapes.push({ width, depth, activation: 'linear', bias: false, layout });
  }
}

const label = (o: WeightwiseOptions) => `${o.width}×${o.depth}, ${o.layout}`;

/**
 * Trains copies of one population with the general and the closed-form kernels side by side: the
 * weights and losses must stay bit-identical; returns the largest relative difference of the
 * momentum buffers (the closed form's gradient is associated differently).
 */
function assertSameTrajectories(options: WeightwiseOptions, momentum: number, start: (net: WeightwiseNetwork, P: number) => Float32Array): number {
  const net = new WeightwiseNetwork(options);
  const P = 200;
  const general = new WeightwiseJsKernels(net.layout, 'linear', net.positions, undefined, 'off');
  const closed = new WeightwiseJsKernels(net.layout, 'linear', net.positions, undefined, 'all');
  const a = start(net, P);
  const b = a.slice();
  const index = Int32Array.from({ length: P }, (_, i) => i);
  const buffers = [new Float32Array(a.length), new Float32Array(a.length)];
  const losses = [new Float32Array(P), new Float32Array(P)];
  let bufferDifference = 0;
  for (let step = 0; step < 300; step++) {
    // The loss is asked for on two steps of three: without it the closed form skips the forward passes.
    const withLoss = step % 3 !== 2;
    general.train({ data: a, index }, { data: a, index }, { lr: 0.04, momentum, batch: 'full', momentumBuffer: { data: buffers[0], index } }, losses[0]);
    closed.train({ data: b, index }, { data: b, index }, { lr: 0.04, momentum, batch: 'full', momentumBuffer: { data: buffers[1], index } }, withLoss ? losses[1] : undefined);
    for (let i = 0; i < a.length; i++) {
      if (!Object.is(a[i], b[i])) assert.fail(`step ${step}, net ${Math.floor(i / net.weightCount)}, weight ${i % net.weightCount}: ${b[i]} (closed form) vs ${a[i]} (general)`);
      const [m, n] = [buffers[0][i], buffers[1][i]];
      if (!Object.is(m, n)) bufferDifference = Math.max(bufferDifference, Math.abs(m - n) / Math.abs(m));
    }
    if (withLoss) for (let k = 0; k < P; k++) assert.ok(Object.is(losses[0][k], losses[1][k]), `step ${step}, net ${k}: loss ${losses[1][k]} vs ${losses[0][k]}`);
  }
  return bufferDifference;
}

describe('the closed form of linear bias-free self-training equals the general kernel bit for bit', () => {
  for (const options of shapes) {
    it(`${label(options)}, plain SGD`, () => {
      assert.ok(closedFormApplies(new WeightwiseNetwork(options).layout, 'linear'));
      assert.equal(
        assertSameTrajectories(options, 0, (net, P) => randomPopulation(net, P, 7)),
        0,
        'momentum buffers (unused)',
      );
    });
    it(`${label(options)}, momentum 0.9: the same weights and losses, buffers within 1e-4 (relative)`, () => {
      const difference = assertSameTrajectories(options, 0.9, (net, P) => randomPopulation(net, P, 7));
      assert.ok(difference <= 1e-4, `momentum buffers differ by ${difference} (relative)`);
    });
  }

  it('is the default for plain SGD only', () => {
    const net = new WeightwiseNetwork(shapes[0]);
    const kernels = new WeightwiseJsKernels(net.layout, 'linear', net.positions) as unknown as { trainFull: [[unknown, unknown], [unknown, unknown]] };
    const general = new WeightwiseJsKernels(net.layout, 'linear', net.positions, undefined, 'off') as unknown as typeof kernels;
    assert.notEqual(String(kernels.trainFull[0][0]), String(general.trainFull[0][0]), 'plain: closed form');
    assert.equal(String(kernels.trainFull[1][0]), String(general.trainFull[1][0]), 'momentum: general kernel');
  });

  it('non-finite and huge weights take the general kernel: NaN and ∞ spread as there', () => {
    const options = shapes[0];
    assertSameTrajectories(options, 0, (net, P) => {
      const w = randomPopulation(net, P, 3);
      const W = net.weightCount;
      w[5 * W + 3] = NaN;
      w[7 * W] = Infinity;
      w[9 * W + 1] = -Infinity;
      for (let k = 0; k < W; k++) w[11 * W + k] *= 1e12; // overflows within a few steps
      for (let k = 0; k < W; k++) w[13 * W + k] = 1e-30 * (k + 1); // subnormal products
      return w;
    });
  });

  it('applies only to linear networks without bias (others keep the general kernel)', () => {
    const layout = (o: Partial<WeightwiseOptions>) => new WeightwiseNetwork({ ...shapes[0], ...o }).layout;
    assert.equal(closedFormApplies(layout({ bias: true }), 'linear'), false);
    assert.equal(closedFormApplies(layout({}), 'tanh'), false);
    assert.equal(closedFormApplies(layout({ width: 8, depth: 2 }), 'linear'), false, 'more than 64 weights: rows are looped');
  });
});
