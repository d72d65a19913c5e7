import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkShape } from '@srnn/core';
import type { BackendKernels } from './backend-kernels';

/** One network's trajectories computed independently (e.g. with numpy), from one initial vector. */
export interface GoldenTrajectories {
  readonly init: readonly number[];
  /** The weights before each self-application step (the first: init). */
  readonly selfApplication: readonly (readonly number[])[];
  /** Self-training with full batches: the loss before each step, the weights after the last. */
  readonly selfTrain: { readonly weights: readonly number[]; readonly losses: readonly number[] };
}

export interface GoldenTrajectorySuite<N extends NetworkShape = NetworkShape> {
  /** The test group's title. */
  readonly title: string;
  readonly network: N;
  readonly golden: GoldenTrajectories;
  /** The training the golden self-training used. */
  readonly training: { readonly lr: number; readonly momentum: number };
  /** Each backend's kernels with their relative tolerance (relative to max(1, |expected|)). */
  readonly backends: readonly (readonly [BackendKernels<N>, number])[];
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** One network follows golden trajectories step by step on every backend: self-application and self-training. */
export function describeGoldenTrajectories<N extends NetworkShape>({ title, network, golden, training, backends }: GoldenTrajectorySuite<N>): void {
  const one = Int32Array.of(0);
  for (const [{ backend, provider }, tolerance] of backends) {
    describe(`${title} (${backend.name} backend)`, () => {
      it('self-application, step by step', async () => {
        await backend.init();
        const kernels = provider.create(network, backend);
        const batch = { data: Float32Array.from(golden.init), index: one };
        for (const [step, expected] of golden.selfApplication.entries()) {
          assertClose(batch.data, expected, tolerance, `step ${step}`);
          kernels.apply(batch, batch, batch);
        }
      });

      it(`self-training with momentum ${training.momentum}, lr ${training.lr}: the loss before each step and the weights after the last`, async () => {
        await backend.init();
        const kernels = provider.create(network, backend);
        const batch = { data: Float32Array.from(golden.init), index: one };
        const momentumBuffer = { data: new Float32Array(network.weightCount), index: one };
        const loss = new Float32Array(1);
        for (const expected of golden.selfTrain.losses) {
          kernels.train(batch, batch, { ...training, batch: 'full', momentumBuffer }, loss);
          assertClose(loss, [expected], tolerance, 'loss');
        }
        assertClose(batch.data, golden.selfTrain.weights, tolerance, 'weights');
      });
    });
  }
}
