import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsBackend, type Backend } from '@srnn/core';
import { TfjsBackend } from '@srnn/backend-tfjs';
import { FftNetwork } from './fft-network';

interface Golden {
  init: number[];
  selfApplication: number[][];
  selfTrain: { weights: number[]; losses: number[] };
}

/** Computed with numpy.fft.rfft/irfft by scripts/golden.py, independently of this code. */
const golden = JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'fft-golden.json'), 'utf8')) as Golden;
const one = Int32Array.of(0);

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

for (const [backend, tolerance] of [[new JsBackend(), 1e-6], [new TfjsBackend(), 1e-5]] as [Backend, number][]) {
  describe(`fft follows numpy’s golden trajectories (${backend.name} backend)`, () => {
    const net = new FftNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 });

    it('self-application, step by step', async () => {
      await backend.init();
      const kernels = net.createKernels(backend);
      const w = Float32Array.from(golden.init);
      const batch = { data: w, index: one };
      for (const [step, expected] of golden.selfApplication.entries()) {
        assertClose(w, expected, tolerance, `step ${step}`);
        kernels.apply(batch, batch, batch);
      }
    });

    it('self-training with momentum 0.9, lr 0.04: weights after 5 steps and the loss before each', async () => {
      await backend.init();
      const kernels = net.createKernels(backend);
      const w = Float32Array.from(golden.init);
      const batch = { data: w, index: one };
      const momentumBuffer = { data: new Float32Array(20), index: one };
      const loss = new Float32Array(1);
      for (const expected of golden.selfTrain.losses) {
        kernels.train(batch, batch, { lr: 0.04, momentum: 0.9, batch: 'full', momentumBuffer }, loss);
        assertClose(loss, [expected], tolerance, 'loss');
      }
      assertClose(w, golden.selfTrain.weights, tolerance, 'weights');
    });
  });
}
