import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '@srnn/core';
import { MlpLayout } from './mlp-layout';

describe('MLP weight layout', () => {
  it('the paper’s weightwise net 4-2-2-1 without bias has 14 weights', () => {
    assert.equal(MlpLayout.of(4, 2, 2, 1, false, 'out-in').weightCount, 14);
  });

  it('biases follow each layer’s matrix', () => {
    const layout = MlpLayout.of(4, 2, 1, 1, true, 'out-in');
    assert.deepEqual(
      layout.layers.map((l) => [l.weightOffset, l.biasOffset]),
      [
        [0, 8],
        [10, 12],
      ],
    );
    assert.equal(layout.weightCount, 13);
  });

  it('out-in stores matrices row by output, in-out row by input', () => {
    const outIn = MlpLayout.of(4, 2, 0, 2, false, 'out-in');
    const inOut = MlpLayout.of(4, 2, 0, 2, false, 'in-out');
    assert.equal(outIn.weightIndex(0, 1, 3), 1 * 4 + 3);
    assert.equal(inOut.weightIndex(0, 1, 3), 3 * 2 + 1);
  });

  it('default init draws U(±1/√fan_in), glorot U(±√(6/(in+out))) with zero biases', () => {
    const layout = MlpLayout.of(4, 2, 2, 1, true, 'out-in');
    const rng = new RandomStreams(1).stream('init');
    const w = new Float32Array(layout.weightCount);
    const max = new Float32Array(layout.weightCount);
    for (let n = 0; n < 2000; n++) {
      layout.initialize('default', w, rng);
      w.forEach((v, i) => (max[i] = Math.max(max[i], Math.abs(v))));
    }
    for (const layer of layout.layers) {
      const bound = 1 / Math.sqrt(layer.inputs);
      for (let k = layer.weightOffset; k < layer.biasOffset + layer.outputs; k++) {
        assert.ok(max[k] <= bound && max[k] > 0.95 * bound, `weight ${k}: max ${max[k]} vs bound ${bound}`);
      }
    }
    layout.initialize('glorot-uniform', w, rng);
    const first = layout.layers[0];
    assert.ok(w.subarray(0, 8).every((v) => Math.abs(v) <= Math.sqrt(6 / 6)));
    assert.ok(w.subarray(first.biasOffset, first.biasOffset + 2).every((v) => v === 0));
  });
});
