import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkKernels, NetworkShape } from '@srnn/core';
import type { BackendKernels } from './backend-kernels';

/** One case of a reference implementation's trajectories (e.g. the authors' PyTorch code, for weightwise networks). */
export interface GoldenCase {
  readonly kind: 'input-rows' | 'self-application' | 'self-train' | 'attack';
  readonly weights?: readonly number[];
  readonly rows?: readonly (readonly number[])[];
  readonly init?: readonly number[];
  readonly trajectory?: readonly (readonly number[])[];
  readonly steps?: number;
  readonly every?: number;
  readonly lr?: number;
  readonly momentum?: number;
  readonly loss_before_step?: readonly number[];
  readonly attacker?: readonly number[];
  readonly victim?: readonly number[];
  readonly result?: readonly number[];
}

export interface GoldenCaseSuite<N extends NetworkShape = NetworkShape> {
  /** The test group's title; the backend's name is appended. */
  readonly title: string;
  readonly network: N;
  readonly cases: readonly GoldenCase[];
  /** The input rows a network reads its weights through, checked against the `input-rows` cases. */
  readonly inputRows: (weights: readonly number[]) => ArrayLike<number>;
  /** Each backend's kernels, checked within an absolute tolerance. */
  readonly backends: readonly BackendKernels<N>[];
  readonly tolerance: number;
}

/**
 * A network follows a reference implementation's cases on every backend: input rows, self-application
 * trajectories step by step, self-training trajectories and losses (plain SGD and momentum), attacks.
 */
export function describeGoldenCases<N extends NetworkShape>({ title, network, cases, inputRows, backends, tolerance }: GoldenCaseSuite<N>): void {
  const one = new Int32Array([0]);
  const assertClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void => {
    assert.equal(actual.length, expected.length, `${what}: length`);
    for (let i = 0; i < expected.length; i++) {
      assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
    }
  };
  const W = network.weightCount;

  for (const { backend, provider } of backends) {
    describe(`${title} (${backend.name} backend)`, () => {
      let kernels: NetworkKernels;
      const before = async () => {
        await backend.init();
        kernels = provider.create(network, backend);
      };

      it('builds the input rows [value, layer, cell, pos] of every weight', () => {
        for (const c of cases.filter((c) => c.kind === 'input-rows')) {
          assertClose(inputRows(c.weights!), c.rows!.flat(), 'rows');
        }
      });

      it('follows self-application trajectories step by step', async () => {
        await before();
        const selected = cases.filter((c) => c.kind === 'self-application');
        assert.ok(selected.length > 0);
        for (const c of selected) {
          const w = Float32Array.from(c.init!);
          const batch = { data: w, index: one };
          c.trajectory!.forEach((expected, k) => {
            kernels.apply(batch, batch, batch);
            assertClose(w, expected, `self-application step ${k + 1}`);
          });
        }
      });

      it('follows self-training trajectories and losses (plain SGD and momentum)', async () => {
        await before();
        const selected = cases.filter((c) => c.kind === 'self-train');
        assert.deepEqual(new Set(selected.map((c) => c.momentum)), new Set([0, 0.9]));
        for (const c of selected) {
          const w = Float32Array.from(c.init!);
          const batch = { data: w, index: one };
          const momentumBuffer = { data: new Float32Array(w.length), index: one };
          const loss = new Float32Array(1);
          for (let step = 1; step <= c.steps!; step++) {
            kernels.train(batch, batch, { lr: c.lr!, momentum: c.momentum!, batch: 'full', momentumBuffer }, loss);
            if (step % c.every! !== 0) continue;
            const j = step / c.every! - 1;
            assertClose(w, c.trajectory![j], `momentum ${c.momentum} after ${step} steps`);
            assertClose(loss, [c.loss_before_step![j]], `loss at step ${step}`);
          }
        }
      });

      it('computes an attack: the attacker applied to the victim', async () => {
        await before();
        for (const c of cases.filter((c) => c.kind === 'attack')) {
          const data = Float32Array.from([...c.attacker!, ...c.victim!]);
          kernels.apply({ data, index: new Int32Array([0]) }, { data, index: new Int32Array([1]) }, { data, index: new Int32Array([1]) });
          assertClose(data.subarray(W), c.result!, 'attacked victim');
          assertClose(data.subarray(0, W), c.attacker!, 'attacker unchanged');
        }
      });
    });
  }
}
