import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Subject } from 'rxjs';
import type { PopulationSnapshot, RunEvent } from '@srnn/core';
import { SnapshotSink, type SnapshotIndex } from './snapshot-sink';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function snapshot(step: number, P: number, W: number): PopulationSnapshot {
  return {
    step,
    weightCount: W,
    weights: Float32Array.from({ length: P * W }, (_, i) => step + i / 8),
    uids: Float64Array.from({ length: P }, (_, i) => step * 10 + i),
    parentUids: new Float64Array(P).fill(-1),
    birthSteps: new Float64Array(P),
    classes: Uint8Array.from({ length: P }, (_, i) => i % 5),
  };
}

const finished = (population: PopulationSnapshot): RunEvent => ({
  kind: 'run-finished',
  census: { divergent: 0, zero: 0, fixpoint: 0, 'second-order': 0, other: 0 },
  elapsedMs: 1,
  population,
});

describe('SnapshotSink', () => {
  it('streams each snapshot into snapshots.f32 (little-endian float32) and indexes it in snapshots.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srnn-snapshots-'));
    dirs.push(dir);
    const events = new Subject<RunEvent>();
    const done = new SnapshotSink().attach(events, dir);
    const P = 70_000; // more than one chunk of uids
    const W = 3;
    const snapshots = [0, 5, 7].map((step) => snapshot(step, P, W));
    for (const s of snapshots) events.next({ kind: 'snapshot', step: s.step, population: s });
    events.next(finished(snapshots[2]));
    events.complete();
    await done;

    const bytes = readFileSync(join(dir, 'snapshots.f32'));
    assert.equal(bytes.length, 3 * P * W * 4);
    for (const [n, s] of snapshots.entries()) {
      for (const i of [0, 1, P * W - 1]) assert.equal(bytes.readFloatLE((n * P * W + i) * 4), s.weights[i]);
    }
    const index = JSON.parse(readFileSync(join(dir, 'snapshots.json'), 'utf8')) as SnapshotIndex;
    assert.equal(index.format, 'srnn-snapshots/1');
    assert.deepEqual([index.size, index.weightCount, index.count, index.weights], [P, W, 3, 'snapshots.f32']);
    assert.deepEqual(index.steps, [0, 5, 7]);
    assert.deepEqual(
      index.snapshots.map((s) => s.step),
      [0, 5, 7],
    );
    assert.deepEqual(index.snapshots[1].uids, Array.from(snapshots[1].uids));
    assert.deepEqual(index.snapshots[2].classes, Array.from(snapshots[2].classes));
    assert.equal(index.classes[2], 'fixpoint');
  });

  it('writes nothing for a run without snapshots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srnn-snapshots-'));
    dirs.push(dir);
    const events = new Subject<RunEvent>();
    const done = new SnapshotSink().attach(events, dir);
    events.next(finished(snapshot(0, 1, 1)));
    events.complete();
    await done;
    assert.throws(() => statSync(join(dir, 'snapshots.f32')), /ENOENT/);
  });

  it('fails when a snapshot has another shape than the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srnn-snapshots-'));
    dirs.push(dir);
    const events = new Subject<RunEvent>();
    const done = new SnapshotSink().attach(events, dir);
    events.next({ kind: 'snapshot', step: 0, population: snapshot(0, 4, 2) });
    events.next({ kind: 'snapshot', step: 1, population: snapshot(1, 5, 2) });
    await assert.rejects(done, /5 × 2 weights, the first had 4 × 2/);
  });
});
