import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { describe, test } from 'node:test';
import { IDLE_WINDOW_MS, IdleCores } from './idle-cores';
import { MIN_IDLE_CORES, MIN_QUEUED_MS, shouldStartWorker, type GrowthState } from './pool-growth';

const PAYS: GrowthState = { threads: 1, workers: 2, starting: false, free: 0, queuedMs: 5000, idleCores: 1 };

describe('shouldStartWorker: another thread only when it pays', () => {
  test('every thread busy, work enough queued and a core idle: yes', () => {
    assert.equal(shouldStartWorker(PAYS), true);
    assert.equal(shouldStartWorker({ ...PAYS, queuedMs: MIN_QUEUED_MS, idleCores: MIN_IDLE_CORES }), true);
  });

  test('no core idle (the other core busy): no, however much work is queued', () => {
    assert.equal(shouldStartWorker({ ...PAYS, idleCores: 0.2, queuedMs: 1e9 }), false);
  });

  test('too little work queued to pay for loading srnn and warming the JIT: no', () => {
    assert.equal(shouldStartWorker({ ...PAYS, queuedMs: MIN_QUEUED_MS - 1 }), false);
  });

  test('all threads started, one still starting, or one free: no', () => {
    assert.equal(shouldStartWorker({ ...PAYS, threads: 2 }), false);
    assert.equal(shouldStartWorker({ ...PAYS, workers: 1 }), false);
    assert.equal(shouldStartWorker({ ...PAYS, starting: true }), false);
    assert.equal(shouldStartWorker({ ...PAYS, free: 1 }), false);
  });
});

describe('IdleCores', () => {
  test('reads the idle cores over the last half second, between 0 and the core count; 0 before it has measured that long', async () => {
    const idle = new IdleCores();
    if (cpus().length > 0) assert.equal(idle.read(), 0);
    await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS + 20));
    const cores = idle.read();
    if (cpus().length === 0) assert.equal(cores, Number.POSITIVE_INFINITY);
    else assert.ok(cores >= 0 && cores <= cpus().length + 0.5, `${cores} idle cores of ${cpus().length}`);
  });

  test('a busy thread is not idle: the cores idle while this thread computes are fewer than all of them', () => {
    if (cpus().length === 0) return;
    const idle = new IdleCores();
    const until = performance.now() + IDLE_WINDOW_MS + 20;
    while (performance.now() < until);
    assert.ok(idle.read() <= cpus().length - 0.5);
  });
});
