import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NetworkKernels } from '@srnn/core';
import { registryOf } from '@srnn/testing';
import { tfjsBackendModule } from '@srnn/backend-tfjs';
import { WeightwiseNetwork } from './weightwise-network';
import { inputRows } from './weightwise-positions';
import weightwiseModule from './weightwise-module';

interface GoldenCase {
  kind: 'input-rows' | 'self-application' | 'self-train' | 'attack';
  weights?: number[];
  rows?: number[][];
  init?: number[];
  trajectory?: number[][];
  steps?: number;
  every?: number;
  lr?: number;
  momentum?: number;
  loss_before_step?: number[];
  attacker?: number[];
  victim?: number[];
  result?: number[];
}

/** The authors' PyTorch trajectories (golden/README.md says how they were made). */
const golden = JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'weightwise-golden.json'), 'utf8')) as { cases: GoldenCase[] };
const TOLERANCE = 1e-5;
const one = new Int32Array([0]);

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= TOLERANCE, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const paperNet = () => new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });

const registry = registryOf(weightwiseModule, tfjsBackendModule);

for (const backend of [registry.backend('js'), registry.backend('tfjs')]) {
  describe(`weightwise reproduces the authors' PyTorch trajectories (${backend.name} backend)`, () => {
    let kernels: NetworkKernels;
    const net = paperNet();
    const before = async () => {
      await backend.init();
      kernels = registry.kernelsFor(net, backend);
    };

    it('builds the input rows [value, layer, cell, pos] of every weight', () => {
      for (const c of golden.cases.filter((c) => c.kind === 'input-rows')) {
        assertClose(inputRows(c.weights!, net.positions), c.rows!.flat(), 'rows');
      }
    });

    it('follows self-application trajectories step by step', async () => {
      await before();
      const cases = golden.cases.filter((c) => c.kind === 'self-application');
      assert.ok(cases.length > 0);
      for (const c of cases) {
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
      const cases = golden.cases.filter((c) => c.kind === 'self-train');
      assert.deepEqual(new Set(cases.map((c) => c.momentum)), new Set([0, 0.9]));
      for (const c of cases) {
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
      for (const c of golden.cases.filter((c) => c.kind === 'attack')) {
        const data = Float32Array.from([...c.attacker!, ...c.victim!]);
        kernels.apply({ data, index: new Int32Array([0]) }, { data, index: new Int32Array([1]) }, { data, index: new Int32Array([1]) });
        assertClose(data.subarray(14), c.result!, 'attacked victim');
        assertClose(data.subarray(0, 14), c.attacker!, 'attacker unchanged');
      }
    });
  });
}
