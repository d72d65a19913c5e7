import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Classifier } from '@srnn/core';
import type { MatrixLayout } from '@srnn/mlp';
import { WeightwiseNetwork, weightwiseModule } from '@srnn/weightwise';
import { registryOf } from '@srnn/testing';
import { runTrials } from './robustness-trials';

const registry = registryOf(weightwiseModule);

/** The hand-made fixpoint with its first weight set to `a`: v = (a, 0, 0, 0), weights scale by a, then a⁴, a¹⁶, … */
const scaledHandMade = (a: number) => {
  const w = new Float32Array(14);
  w[0] = a;
  w[8] = 1;
  w[12] = 1;
  return w;
};

async function trials(layout: MatrixLayout, nets: Float32Array[], maxSteps: number) {
  const network = new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout });
  const kernels = registry.kernelsFor(network, registry.backend('js'));
  const classifier = new Classifier(kernels, 14, { epsilon: 1e-5, strict: false });
  const data = new Float32Array(nets.length * 14);
  nets.forEach((w, k) => data.set(w, k * 14));
  const steps: number[] = [];
  const clocks = await runTrials(
    kernels,
    (batch, out) => classifier.classify(batch, out),
    data,
    14,
    maxSteps,
    (s) => void steps.push(s),
  );
  return { clocks, steps, data };
}

describe('robustness trials on hand-built weightwise nets', () => {
  for (const layout of ['out-in', 'in-out'] as const) {
    it(`(${layout}) the exact fixpoint counts every step; a = 0.5 goes zero at step 3 (time 2); a = 2 diverges at step 5 (time 4)`, async () => {
      const { clocks } = await trials(layout, [scaledHandMade(1), scaledHandMade(0.5), scaledHandMade(2)], 10);
      assert.deepEqual([...clocks.timeToVergence], [10, 2, 4]);
      assert.deepEqual([...clocks.timeAsFixpoint], [10, 0, 0]);
      assert.deepEqual(
        [0, 1, 2].map((t) => clocks.endOf(t)),
        ['cap', 'zero', 'divergent'],
      );
    });
  }

  it('a net 1 ulp off the fixpoint stays one for 3 steps, then drifts away (a → a⁴ each step) until the cap', async () => {
    const { clocks } = await trials('out-in', [scaledHandMade(Math.fround(1 + 2 ** -23))], 10);
    assert.equal(clocks.timeAsFixpoint[0], 3);
    assert.equal(clocks.timeToVergence[0], 10);
    assert.equal(clocks.endOf(0), 'cap');
  });

  it('stops stepping once every trial has stopped, and leaves stopped trials as they were when they stopped', async () => {
    const { steps, data } = await trials('out-in', [scaledHandMade(0.5), scaledHandMade(0.25)], 50);
    assert.deepEqual(steps, [1, 2, 3], 'a = 0.5 is zero at step 3, a = 0.25 earlier');
    assert.ok(data.every((v) => Math.abs(v) <= 1e-5));
  });
});
