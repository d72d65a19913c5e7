import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AffinityQueue, batchSize, MAX_PASSED_OVER, type AffinityTask } from './affinity-queue';

interface Task extends AffinityTask {
  readonly id: string;
}

const task = (id: string, affinity: string, ahead = false): Task => ({ id, affinity, ...(ahead ? { ahead } : {}) });

function queueOf(...tasks: Task[]): AffinityQueue<Task> {
  const queue = new AffinityQueue<Task>();
  for (const t of tasks) queue.add(t);
  return queue;
}

const ids = (tasks: readonly (Task | undefined)[]) => tasks.map((t) => t?.id);

describe('AffinityQueue', () => {
  it('serves a worker without warm affinities first come, first served', () => {
    const queue = queueOf(task('a1', 'a'), task('b1', 'b'), task('a2', 'a'));
    const none = new Set<string>();
    assert.deepEqual(ids([queue.take(none), queue.take(none), queue.take(none), queue.take(none)]), ['a1', 'b1', 'a2', undefined]);
  });

  it('leaves a task to the worker that has run its affinity, and takes what is warm for it or new to every worker', () => {
    const queue = queueOf(task('a1', 'a'), task('b1', 'b'), task('c1', 'c'), task('a2', 'a'), task('b2', 'b'));
    // this worker has run b, another one a
    const elsewhere = (affinity: string) => affinity === 'a';
    assert.equal(queue.take(new Set(['b']), elsewhere)?.id, 'b1');
    // c is new to every worker: taken in its turn, before the b queued after it
    assert.equal(queue.take(new Set(['b']), elsewhere)?.id, 'c1');
    assert.equal(queue.take(new Set(['b', 'c']), elsewhere)?.id, 'b2');
    // only tasks of the other worker are left: better taken cold than idling
    assert.equal(queue.take(new Set(['b', 'c']), elsewhere)?.id, 'a1');
    // without other workers, first come, first served
    assert.equal(queue.take(new Set(['b']))?.id, 'a2');
  });

  it(`takes a task passed over ${MAX_PASSED_OVER} times next, whoever asks`, () => {
    const queue = queueOf(task('theirs', 't'), ...Array.from({ length: 40 }, (_, i) => task(`w${i}`, 'w')));
    const warm = new Set(['w']);
    const elsewhere = (affinity: string) => affinity === 't';
    const taken = Array.from({ length: MAX_PASSED_OVER + 1 }, () => queue.take(warm, elsewhere)?.id);
    assert.deepEqual(taken, [...Array.from({ length: MAX_PASSED_OVER }, (_, i) => `w${i}`), 'theirs']);
  });

  it('puts tasks queued ahead in front of the others, in the order they came', () => {
    const queue = queueOf(task('r1', 'run'), task('f1', 'figure', true), task('r2', 'run'), task('f2', 'figure', true));
    const none = new Set<string>();
    assert.deepEqual(ids(Array.from({ length: 4 }, () => queue.take(none))), ['f1', 'f2', 'r1', 'r2']);
  });

  it('takes further tasks of one affinity in queue order, and removes a task its caller gave up', () => {
    const b1 = task('b1', 'b');
    const queue = queueOf(task('a1', 'a'), b1, task('a2', 'a'), task('a3', 'a'), task('a4', 'a'));
    assert.equal(queue.count('a'), 4);
    assert.equal(queue.take(new Set())?.id, 'a1');
    assert.deepEqual(ids(queue.takeMore('a', 2)), ['a2', 'a3']);
    assert.equal(queue.remove(b1), true);
    assert.equal(queue.remove(b1), false);
    assert.deepEqual(ids(queue.takeMore('a', 5)), ['a4']);
    assert.equal(queue.length, 0);
  });
});

describe('batchSize', () => {
  const sizing = { queued: 100, workers: 2, batchMs: 25, maxBatch: 32 };

  it('is one run while no run of the affinity has finished', () => {
    assert.equal(batchSize({ ...sizing, runMs: undefined }), 1);
  });

  it('fills the time a batch aims at by the recent run time', () => {
    assert.equal(batchSize({ ...sizing, runMs: 2 }), 12);
    assert.equal(batchSize({ ...sizing, runMs: 30 }), 1);
    assert.equal(batchSize({ ...sizing, runMs: 0 }), 25);
  });

  it('shrinks as the queue drains so that the workers finish together, and never exceeds the cap', () => {
    assert.equal(batchSize({ ...sizing, runMs: 0.1, queued: 9 }), 3);
    assert.equal(batchSize({ ...sizing, runMs: 0.1, queued: 1 }), 1);
    assert.equal(batchSize({ ...sizing, runMs: 0.01, queued: 1000 }), 32);
  });
});
