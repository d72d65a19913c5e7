import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RandomStreams } from '@srnn/core';
import { EpochPlan } from './epoch-plan';

function groups(plan: EpochPlan): { code: number; ops: number[] }[] {
  const out: { code: number; ops: number[] }[] = [];
  plan.forEachGroup((code, from, to) => out.push({ code, ops: Array.from(plan.order().subarray(from, to)) }));
  return out;
}

describe('EpochPlan', () => {
  it('batches interactions on disjoint particles and keeps those sharing one in plan order', () => {
    const plan = new EpochPlan(16, 6, 2);
    plan.add(1, 0, 1); // 0: wave 1
    plan.add(1, 2, 3); // 1: wave 1
    plan.add(0, 4, 4); // 2: wave 1, other code
    plan.add(1, 1, 2); // 3: wave 2 (after 0 and 1)
    plan.add(0, 0, 0); // 4: wave 2 (after 0)
    plan.add(0, 2, 2); // 5: wave 3 (after 3)
    assert.deepEqual(groups(plan), [
      { code: 0, ops: [2] },
      { code: 1, ops: [0, 1] },
      { code: 0, ops: [4] },
      { code: 1, ops: [3] },
      { code: 0, ops: [5] },
    ]);
  });

  it('runs every interaction once, each group on disjoint slots, after every earlier one it shares a slot with', () => {
    const P = 50;
    const rng = new RandomStreams(9).stream('test');
    const plan = new EpochPlan(400, P, 3);
    for (let round = 0; round < 2; round++) {
      plan.clear();
      for (let o = 0; o < 300; o++) plan.add(rng.int(3), rng.int(P), rng.int(P));
      const doneAt = new Int32Array(plan.count).fill(-1);
      let time = 0;
      for (const { code, ops } of groups(plan)) {
        const slots = new Set<number>();
        for (const o of ops) {
          assert.equal(plan.code[o], code);
          for (const s of new Set([plan.actor[o], plan.partner[o]])) {
            assert.ok(!slots.has(s), 'disjoint within a group');
            slots.add(s);
          }
          doneAt[o] = time;
        }
        time++;
      }
      assert.ok(doneAt.every((t) => t >= 0));
      for (let a = 0; a < plan.count; a++) {
        for (let b = a + 1; b < plan.count; b++) {
          const shared = [plan.actor[a], plan.partner[a]].some((s) => s === plan.actor[b] || s === plan.partner[b]);
          if (shared) assert.ok(doneAt[a] < doneAt[b], `${a} before ${b}`);
        }
      }
    }
  });
});
