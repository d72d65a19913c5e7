import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pluginOptions, RandomStreams } from '@srnn/core';
import { RecurrentArchitecture } from './recurrent-architecture';
import { RecurrentLayout } from './recurrent-layout';

describe('recurrent weight layout', () => {
  it('has 17 weights at the defaults: 1×2 + 2×2, 2×2 + 2×2, 2×1 + 1×1', () => {
    const layout = RecurrentLayout.of(2, 2, false, 'out-in');
    assert.equal(layout.weightCount, 17);
    assert.deepEqual(
      layout.layers.map((l) => [l.inputs, l.units, l.kernelOffset, l.recurrentOffset, l.biasOffset]),
      [
        [1, 2, 0, 2, -1],
        [2, 2, 6, 10, -1],
        [2, 1, 14, 16, -1],
      ],
    );
    assert.equal(layout.unitCount, 5);
  });

  it('counts input kernel + recurrent kernel (+ bias) per layer for other shapes', () => {
    const count = (width: number, depth: number, bias: boolean) => RecurrentLayout.of(width, depth, bias, 'in-out').weightCount;
    assert.equal(count(2, 2, true), 17 + 2 + 2 + 1);
    assert.equal(count(3, 2, false), 3 + 9 + (9 + 9) + (3 + 1));
    assert.equal(count(1, 1, false), 4);
    assert.equal(count(4, 1, true), 4 + 16 + 4 + (4 + 1 + 1));
    assert.equal(count(5, 0, false), 2, 'depth 0: one 1-unit RNN, kernel 1×1 and recurrent kernel 1×1');
    assert.equal(count(2, 3, false), 6 + 8 + 8 + 3);
  });

  it('puts the bias vector of a layer right after its recurrent kernel', () => {
    const layout = RecurrentLayout.of(2, 2, true, 'out-in');
    assert.deepEqual(
      layout.layers.map((l) => l.biasOffset),
      [6, 16, 21],
    );
    assert.deepEqual(
      layout.layers.map((l) => l.kernelOffset),
      [0, 8, 18],
    );
  });

  it('stores kernels receiver-major in out-in and sender-major in in-out', () => {
    const outIn = RecurrentLayout.of(2, 2, false, 'out-in');
    const inOut = RecurrentLayout.of(2, 2, false, 'in-out');
    // Layer 1, input kernel 2 × 2 at offset 6: weight from input 0 to unit 1.
    assert.equal(outIn.kernelIndex(1, 1, 0), 6 + 2);
    assert.equal(inOut.kernelIndex(1, 1, 0), 6 + 1);
    // Layer 0, recurrent kernel at offset 2: weight from unit 0 at t−1 to unit 1 at t.
    assert.equal(outIn.recurrentIndex(0, 1, 0), 2 + 2);
    assert.equal(inOut.recurrentIndex(0, 1, 0), 2 + 1);
    // One input or one unit: both layouts agree.
    assert.equal(outIn.kernelIndex(0, 1, 0), inOut.kernelIndex(0, 1, 0));
    assert.equal(outIn.kernelIndex(2, 0, 1), inOut.kernelIndex(2, 0, 1));
  });

  it('initialises every weight of a layer from U(±1/√units) by default (PyTorch nn.RNN)', () => {
    const layout = RecurrentLayout.of(4, 2, true, 'out-in');
    const rng = new RandomStreams(3).stream('init');
    const bound = new Float32Array(layout.weightCount);
    for (const layer of layout.layers) {
      const end = layer.biasOffset + layer.units;
      bound.fill(1 / Math.sqrt(layer.units), layer.kernelOffset, end);
    }
    const maxima = new Float32Array(layout.weightCount);
    for (let n = 0; n < 200; n++) {
      const w = new Float32Array(layout.weightCount);
      layout.initialize('default', w, rng);
      w.forEach((v, k) => {
        assert.ok(Math.abs(v) <= bound[k], `weight ${k}: ${v}`);
        maxima[k] = Math.max(maxima[k], Math.abs(v));
      });
    }
    maxima.forEach((m, k) => assert.ok(m > 0.8 * bound[k], `weight ${k} should fill its range, max ${m}`));
  });

  it('glorot-uniform draws kernels from U(±√(6/(in+out))) and recurrent kernels from U(±√(6/2u)), with zero biases', () => {
    const layout = RecurrentLayout.of(3, 1, true, 'in-out');
    const rng = new RandomStreams(4).stream('init');
    for (let n = 0; n < 100; n++) {
      const w = new Float32Array(layout.weightCount);
      layout.initialize('glorot-uniform', w, rng);
      for (const layer of layout.layers) {
        const kernel = w.subarray(layer.kernelOffset, layer.recurrentOffset);
        const recurrent = w.subarray(layer.recurrentOffset, layer.biasOffset);
        assert.ok(kernel.every((v) => Math.abs(v) <= Math.sqrt(6 / (layer.inputs + layer.units))));
        assert.ok(recurrent.every((v) => Math.abs(v) <= Math.sqrt(6 / (2 * layer.units))));
        assert.ok(w.subarray(layer.biasOffset, layer.biasOffset + layer.units).every((v) => v === 0));
      }
    }
  });

  it('orthogonal (Keras SimpleRNN): recurrent kernels orthogonal (RᵀR = I), kernels Glorot-uniform, biases 0', () => {
    const layout = RecurrentLayout.of(3, 2, true, 'out-in');
    const rng = new RandomStreams(5).stream('init');
    const outputSigns = new Set<number>();
    for (let n = 0; n < 50; n++) {
      const w = new Float32Array(layout.weightCount);
      layout.initialize('orthogonal', w, rng);
      layout.layers.forEach((layer, l) => {
        const u = layer.units;
        for (let a = 0; a < u; a++) {
          for (let b = 0; b < u; b++) {
            let dot = 0;
            for (let o = 0; o < u; o++) dot += w[layout.recurrentIndex(l, o, a)] * w[layout.recurrentIndex(l, o, b)];
            assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-6, `layer ${l}: (RRᵀ)[${a}][${b}] = ${dot}`);
          }
        }
        const kernel = w.subarray(layer.kernelOffset, layer.recurrentOffset);
        assert.ok(
          kernel.every((v) => v !== 0 && Math.abs(v) <= Math.sqrt(6 / (layer.inputs + u))),
          `layer ${l} kernel ${kernel}`,
        );
        assert.ok(w.subarray(layer.biasOffset, layer.biasOffset + u).every((v) => v === 0));
      });
      outputSigns.add(w[layout.layers[2].recurrentOffset]);
    }
    assert.deepEqual([...outputSigns].sort(), [-1, 1], "the 1-unit output layer's recurrent weight is ±1");
  });

  it('orthogonal draws the same networks in both layouts, and the same weights from the same stream', () => {
    const draw = (layout: RecurrentLayout, seed: number) => {
      const w = new Float32Array(layout.weightCount);
      layout.initialize('orthogonal', w, new RandomStreams(seed).stream('init'));
      return w;
    };
    const outIn = RecurrentLayout.of(2, 2, false, 'out-in');
    const inOut = RecurrentLayout.of(2, 2, false, 'in-out');
    const [a, b] = [draw(outIn, 7), draw(inOut, 7)];
    outIn.layers.forEach((layer, l) => {
      for (let o = 0; o < layer.units; o++) {
        for (let i = 0; i < layer.inputs; i++) assert.equal(a[outIn.kernelIndex(l, o, i)], b[inOut.kernelIndex(l, o, i)]);
        for (let i = 0; i < layer.units; i++) assert.equal(a[outIn.recurrentIndex(l, o, i)], b[inOut.recurrentIndex(l, o, i)]);
      }
    });
    assert.notDeepEqual(a, b, 'stored in different orders');
    assert.deepEqual(draw(outIn, 7), a);
    assert.notDeepEqual(draw(outIn, 8), a);
  });

  it('draws the same weights from the same stream', () => {
    const layout = RecurrentLayout.of(2, 2, false, 'out-in');
    const draw = (seed: number) => {
      const w = new Float32Array(17);
      layout.initialize('default', w, new RandomStreams(seed).stream('init'));
      return w;
    };
    assert.deepEqual(draw(1), draw(1));
    assert.notDeepEqual(draw(1), draw(2));
  });
});

describe('recurrent architecture options', () => {
  const architecture = new RecurrentArchitecture();

  it('defaults to width 2, depth 2, linear, no bias, out-in', () => {
    const net = architecture.build(pluginOptions(architecture, { type: 'recurrent' }));
    assert.equal(net.weightCount, 17);
    assert.deepEqual(net.options, { width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });
    assert.deepEqual([...net.initSchemes], ['default', 'glorot-uniform', 'orthogonal']);
  });

  it('rejects unknown options', () => {
    assert.throws(() => pluginOptions(architecture, { type: 'recurrent', aggregates: 4 }), /recurrent: .*aggregates/);
    assert.throws(() => pluginOptions(architecture, { type: 'recurrent', activation: 'softmax' }), /recurrent: activation: /);
  });
});

describe('recurrent sizes', () => {
  it('refuses, before allocating, a network whose training through time would keep more than 2^28 activations', () => {
    // width 1000, depth 3: 5 002 001 weights (under 2^24), but 3 001 units × 5 002 002 steps
    assert.throws(
      () => RecurrentLayout.of(1000, 3, false, 'out-in'),
      /width 1000, depth 3: training through time keeps 3 001 units × 5 002 002 steps = 15 011 008 002 activations, more than srnn's limit of 268 435 456 \(2\^28\)/,
    );
    assert.equal(RecurrentLayout.of(100, 3, false, 'out-in').weightCount, 50201);
  });
});
