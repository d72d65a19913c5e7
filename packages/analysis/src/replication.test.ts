import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registryOf } from '@srnn/testing';
import { WeightwiseNetwork, weightwiseModule } from '@srnn/weightwise';
import { handMadeFixpoint, replicationLoss } from './replication';

const registry = registryOf(weightwiseModule);

const net = (options: Partial<ConstructorParameters<typeof WeightwiseNetwork>[0]> = {}) =>
  new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', ...options });

describe('replication loss and the hand-made fixpoint', () => {
  for (const layout of ['out-in', 'in-out'] as const) {
    it(`(${layout}) the hand-made fixpoint replicates itself exactly: loss 0`, () => {
      const network = net({ layout });
      const weights = handMadeFixpoint(network);
      assert.deepEqual(
        [...weights.keys()].filter((i) => weights[i] === 1),
        [0, 8, 12],
      );
      const loss = replicationLoss(registry.kernelsFor(network, registry.backend('js')), { data: weights, index: Int32Array.of(0) }, 14);
      assert.deepEqual(Array.from(loss), [0]);
    });
  }

  it('is the mean |N ◁ N − W| per network: scaling the first weight to 0.5 halves every output', () => {
    const network = net();
    const w = handMadeFixpoint(network);
    w[0] = 0.5; // v = (0.5, 0, 0, 0): N ◁ N = 0.5·W, so |N ◁ N − W| = 0.5·|W| = 0.25 + 0.5 + 0.5 over 14
    const both = new Float32Array(28);
    both.set(handMadeFixpoint(network));
    both.set(w, 14);
    const loss = replicationLoss(registry.kernelsFor(network, registry.backend('js')), { data: both, index: Int32Array.of(1, 0) }, 14);
    assert.deepEqual(Array.from(loss), [1.25 / 14, 0]);
  });

  it('the hand-made fixpoint exists only for weightwise 4 → 2 → 2 → 1 without bias', () => {
    assert.throws(() => handMadeFixpoint(net({ width: 3 })), /width 2, depth 2, without bias \(14 weights\); this is weightwise with 24 weights/);
    assert.throws(() => handMadeFixpoint(net({ bias: true })), /without bias/);
  });
});
