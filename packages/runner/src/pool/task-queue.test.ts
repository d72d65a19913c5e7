import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchSize, TaskQueue, type QueuedTask } from './task-queue';

interface Task extends QueuedTask {
  readonly id: string;
}

const task = (id: string, kind: string, ahead = false): Task => ({ id, kind, ...(ahead ? { ahead } : {}) });

function queueOf(...tasks: Task[]): TaskQueue<Task> {
  const queue = new TaskQueue<Task>();
  for (const t of tasks) queue.add(t);
  return queue;
}

const ids = (tasks: readonly (Task | undefined)[]) => tasks.map((t) => t?.id);

describe('TaskQueue', () => {
  it('serves first come, first served', () => {
    const queue = queueOf(task('a1', 'a'), task('b1', 'b'), task('a2', 'a'));
    assert.deepEqual(ids([queue.take(), queue.take(), queue.take(), queue.take()]), ['a1', 'b1', 'a2', undefined]);
  });

  it('puts tasks queued ahead in front of the others, in the order they came', () => {
    const queue = queueOf(task('r1', 'run'), task('f1', 'figure', true), task('r2', 'run'), task('f2', 'figure', true));
    assert.deepEqual(ids(Array.from({ length: 4 }, () => queue.take())), ['f1', 'f2', 'r1', 'r2']);
  });

  it('takes further tasks of one kind in queue order, and removes a task its caller gave up', () => {
    const b1 = task('b1', 'b');
    const queue = queueOf(task('a1', 'a'), b1, task('a2', 'a'), task('a3', 'a'), task('a4', 'a'));
    assert.equal(queue.count('a'), 4);
    assert.equal(queue.take()?.id, 'a1');
    assert.deepEqual(ids(queue.takeMore('a', 2)), ['a2', 'a3']);
    assert.equal(queue.remove(b1), true);
    assert.equal(queue.remove(b1), false);
    assert.deepEqual(ids(queue.takeMore('a', 5)), ['a4']);
    assert.equal(queue.length, 0);
  });
});

describe('batchSize', () => {
  const sizing = { queued: 100, workers: 2, batchMs: 25, maxBatch: 32 };

  it('is one run while no run of the kind has finished', () => {
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
