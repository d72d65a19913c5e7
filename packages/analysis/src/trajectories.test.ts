import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readTrajectories, TrajectoryRecorder, trajectoriesFromSnapshots, writeTrajectories } from './trajectories';

const root = mkdtempSync(join(tmpdir(), 'srnn-analysis-trajectories-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const fresh = () => {
  const dir = join(root, String(count++));
  mkdirSync(dir);
  return dir;
};

describe('trajectory files', () => {
  it('the rows recorded so far survive a checkpoint: a recorder with the same trajectories takes them and goes on', () => {
    const build = () => {
      const recorder = new TrajectoryRecorder(2);
      return { recorder, handles: [recorder.add({ id: 0, role: 'parent' }), recorder.add({ id: 1, role: 'clone', parent: 0 }), recorder.add({ id: 2, role: 'parent' })] };
    };
    const whole = build();
    const saving = build();
    for (const { recorder, handles } of [whole, saving]) recorder.recordBatch(handles.slice(0, 2), 0, Float32Array.of(1, 2, 3, 4), [0, 1]);
    const restored = build();
    restored.recorder.restoreRows(structuredClone(saving.recorder.saveRows()));
    for (const { recorder, handles } of [whole, restored]) recorder.recordBatch(handles, 5, Float32Array.of(5, 6, 7, 8, 9, 10), [0, 1, 2]);
    assert.deepEqual(restored.recorder.finish(), whole.recorder.finish());
    assert.throws(() => new TrajectoryRecorder(2).restoreRows(saving.recorder.saveRows()), /3 saved, 0 added/);
  });

  it('a recorded set round-trips through trajectories.f32 + trajectories.json', () => {
    const recorder = new TrajectoryRecorder(2);
    const parent = recorder.add({ id: 0, role: 'parent' });
    const clone = recorder.add({ id: 5, role: 'clone', parent: 0, group: 1e-3 });
    recorder.record(parent, 0, Float32Array.of(1, 2));
    const data = Float32Array.of(3, 4, 5, 6);
    recorder.recordBatch([parent, clone], 10, data, [0, 1]);
    recorder.record(clone, 20, data, 2);
    recorder.setClasses([parent, clone], [2, 4]);
    const set = recorder.finish();
    const dir = fresh();
    const files = writeTrajectories(dir, set);
    assert.deepEqual(files, [join(dir, 'trajectories.f32'), join(dir, 'trajectories.json')]);
    assert.equal(statSync(files[0]).size, 4 * 2 * 4, 'four rows of two float32');
    const index = JSON.parse(readFileSync(files[1], 'utf8'));
    assert.equal(index.format, 'srnn-trajectories/1');
    assert.deepEqual(index.trajectories[1], { id: 5, role: 'clone', parent: 0, group: 1e-3, class: 'other', steps: [10, 20], offset: 2 });
    const back = readTrajectories(dir)!;
    assert.equal(back.weightCount, 2);
    assert.deepEqual(Array.from(back.trajectories[0].weights), [1, 2, 3, 4]);
    assert.deepEqual(Array.from(back.trajectories[1].weights), [5, 6, 5, 6]);
    assert.deepEqual(back.trajectories[0].steps, [0, 10]);
    assert.equal(back.trajectories[0].class, 'fixpoint');
  });

  it('there is no set in a directory without trajectories.json', () => {
    assert.equal(readTrajectories(fresh()), undefined);
    assert.equal(trajectoriesFromSnapshots(fresh()), undefined);
  });

  it('soup snapshots become one trajectory per uid, a replaced particle starting its own', () => {
    const dir = fresh();
    // two slots, three snapshots; slot 1's particle 1 is replaced by particle 2 at step 2
    const weights = Float32Array.of(0, 0, 10, 10, 1, 1, 11, 11, 2, 2, 20, 20);
    writeFileSync(join(dir, 'snapshots.f32'), Buffer.from(weights.buffer));
    const index = {
      format: 'srnn-snapshots/1',
      weights: 'snapshots.f32',
      size: 2,
      weightCount: 2,
      classes: ['divergent', 'zero', 'fixpoint', 'second-order', 'other'],
      snapshots: [
        { step: 0, uids: [0, 1], classes: [4, 4] },
        { step: 1, uids: [0, 1], classes: [4, 4] },
        { step: 2, uids: [0, 2], classes: [2, 4] },
      ],
      steps: [0, 1, 2],
      count: 3,
    };
    writeFileSync(join(dir, 'snapshots.json'), JSON.stringify(index));
    const set = trajectoriesFromSnapshots(dir)!;
    assert.deepEqual(
      set.trajectories.map((t) => [t.id, t.steps, Array.from(t.weights), t.class]),
      [
        [0, [0, 1, 2], [0, 0, 1, 1, 2, 2], 'fixpoint'],
        [1, [0, 1], [10, 10, 11, 11], 'other'],
        [2, [2], [20, 20], 'other'],
      ],
    );
  });
});

describe('trajectory and snapshot indexes of another origin', () => {
  const snapshotIndex = (weights: unknown, size = 1) => ({ format: 'srnn-snapshots/1', weights, size, weightCount: 2, snapshots: [{ step: 0, uids: [0], classes: [4] }] });

  it('a weights file outside the index’s directory is refused, not read', () => {
    const dir = fresh();
    writeFileSync(join(root, 'outside.f32'), Buffer.alloc(8));
    for (const name of ['../outside.f32', join(root, 'outside.f32'), '..', '', 7]) {
      writeFileSync(join(dir, 'snapshots.json'), JSON.stringify(snapshotIndex(name)));
      assert.throws(() => trajectoriesFromSnapshots(dir), /"weights" must name a file beside it/, String(name));
    }
  });

  it('a weights file of another size than the index implies, or no regular file, is refused before it is read', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'snapshots.f32'), Buffer.alloc(12));
    writeFileSync(join(dir, 'snapshots.json'), JSON.stringify(snapshotIndex('snapshots.f32')));
    assert.throws(() => trajectoriesFromSnapshots(dir), /12 bytes, expected 8/);
    mkdirSync(join(dir, 'a-directory'));
    writeFileSync(join(dir, 'snapshots.json'), JSON.stringify(snapshotIndex('a-directory')));
    assert.throws(() => trajectoriesFromSnapshots(dir), /not a regular file/);
    writeFileSync(join(dir, 'snapshots.json'), JSON.stringify(snapshotIndex('snapshots.f32', 2 ** 60)));
    assert.throws(() => trajectoriesFromSnapshots(dir), /its sizes give/);
    // 2^27 + 1 particles × 2 weights: more than a figure reads, refused before the file is looked at
    writeFileSync(join(dir, 'snapshots.json'), JSON.stringify(snapshotIndex('snapshots.f32', 2 ** 27 + 1)));
    assert.throws(() => trajectoriesFromSnapshots(dir), /268 435 458 weights to read, more than srnn's limit of 268 435 456 \(2\^28\) for one figure/);
  });

  it('an index that is no regular file, or no JSON, is refused with its file and position', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'trajectories.json'));
    assert.throws(() => readTrajectories(dir), /trajectories\.json: .*(directory|regular)/);
    const other = fresh();
    writeFileSync(join(other, 'snapshots.json'), '{\n  "format": ');
    assert.throws(() => trajectoriesFromSnapshots(other), /snapshots\.json:2:\d+: not JSON/);
  });
});
