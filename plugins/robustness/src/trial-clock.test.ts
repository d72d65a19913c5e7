import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParticleClassCode } from '@srnn/core';
import { TrialClocks } from './trial-clock';

const { divergent, zero, fixpoint, other } = ParticleClassCode;
const secondOrder = ParticleClassCode['second-order'];

/** Feeds one trial a sequence of classes (one per step) until it stops; returns its clocks. */
function play(classes: number[]) {
  const clocks = new TrialClocks(1);
  let steps = 0;
  for (const code of classes) {
    steps++;
    if (!clocks.observe(0, code)) break;
  }
  return { ttv: clocks.timeToVergence[0], taf: clocks.timeAsFixpoint[0], end: clocks.endOf(0), rejoined: clocks.rejoined[0] === 1, steps };
}

describe('robustness trial clocks (PAPER.md §4.4)', () => {
  it('clocks saved mid-run and restored count on as if never interrupted', () => {
    const classes = [
      [fixpoint, other, fixpoint],
      [fixpoint, fixpoint, zero],
      [other, divergent],
    ];
    const whole = new TrialClocks(3);
    const interrupted = new TrialClocks(3);
    const active = [true, true, true];
    const step = (clocks: TrialClocks, s: number, going: boolean[]) => classes.forEach((codes, t) => going[t] && s < codes.length && (going[t] = clocks.observe(t, codes[s])));
    step(whole, 0, [...active]);
    step(interrupted, 0, active);
    const resumed = TrialClocks.restore(structuredClone(interrupted.save()));
    const wholeActive = [...active];
    for (let s = 1; s < 3; s++) {
      step(whole, s, wholeActive);
      step(resumed, s, active);
    }
    assert.deepEqual(resumed, whole);
    assert.deepEqual(
      [0, 1, 2].map((t) => whole.endOf(t)),
      ['cap', 'zero', 'divergent'],
    );
    assert.equal(whole.rejoined[0], 1);
  });

  it('a net that goes zero after 3 steps has time to vergence 2: the step reaching zero does not count', () => {
    assert.deepEqual(play([other, other, zero]), { ttv: 2, taf: 0, end: 'zero', rejoined: false, steps: 3 });
  });

  it('a net that diverges at the first step has time to vergence 0', () => {
    assert.deepEqual(play([divergent]), { ttv: 0, taf: 0, end: 'divergent', rejoined: false, steps: 1 });
  });

  it('a fixpoint for 3 steps, then other, then zero: time as fixpoint 3, time to vergence 4', () => {
    assert.deepEqual(play([fixpoint, fixpoint, fixpoint, other, zero]), { ttv: 4, taf: 3, end: 'zero', rejoined: false, steps: 5 });
  });

  it('a net that leaves the fixpoint set and comes back does not resume counting (rejoined)', () => {
    assert.deepEqual(play([fixpoint, secondOrder, fixpoint, fixpoint, divergent]), { ttv: 4, taf: 1, end: 'divergent', rejoined: true, steps: 5 });
  });

  it('a net that is not a fixpoint after the first step never counts as one', () => {
    assert.deepEqual(play([other, fixpoint, fixpoint, zero]), { ttv: 3, taf: 0, end: 'zero', rejoined: true, steps: 4 });
  });

  it('a net never stopped ends at the cap with time to vergence = steps taken', () => {
    assert.deepEqual(play([fixpoint, fixpoint, fixpoint]), { ttv: 3, taf: 3, end: 'cap', rejoined: false, steps: 3 });
  });

  it('trials are independent', () => {
    const clocks = new TrialClocks(2);
    clocks.observe(0, fixpoint);
    clocks.observe(1, other);
    clocks.observe(0, fixpoint);
    assert.deepEqual([...clocks.timeAsFixpoint], [2, 0]);
    assert.deepEqual([...clocks.timeToVergence], [2, 1]);
  });
});
