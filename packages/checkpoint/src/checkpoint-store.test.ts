import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RunState } from '@srnn/core';
import { CheckpointStore } from './checkpoint-store';
import { EventLog } from './event-log';
import { decodeValue, encodeValue, type TypedArray } from './state-codec';

describe('checkpoint format', () => {
  test('values round-trip: numbers JSON lacks, typed arrays of every kind, keys starting with $, nesting', () => {
    const value = {
      nan: NaN,
      inf: [Infinity, -Infinity, -0, 0, 1.5],
      $odd: { $array: 'not an array' },
      arrays: [Float32Array.of(1, NaN, -0), Float64Array.of(-1e300), Int32Array.of(-7), Uint8Array.of(255), Uint32Array.of(4e9)],
      nothing: null,
      text: 'x',
      skipped: undefined,
    };
    const stored: TypedArray[] = [];
    const json = JSON.parse(JSON.stringify(encodeValue(value, (array) => stored.push(array) - 1))) as unknown;
    const back = decodeValue(json, (ref) => stored[ref as number]) as typeof value;
    const { skipped, ...expected } = value;
    assert.equal(skipped, undefined);
    assert.deepEqual(back, expected);
    assert.ok(Object.is((back.inf as number[])[2], -0));
    assert.throws(() => encodeValue({ when: new Date() }, () => 0), /cannot checkpoint value\.when: Date/);
  });

  test('a store keeps only its latest binary; states read back exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'srnn-checkpoint-store-'));
    try {
      const store = new CheckpointStore(join(dir, '.checkpoint'));
      store.writeRun({ format: 1, srnn: 'x', scenarioHash: 'h', plugins: { experiments: [], architectures: [], interactions: [], backends: [], sinks: [] }, scenario: {} });
      const header = { format: 1, srnn: 'x', scenarioHash: 'h', plugins: { experiments: [], architectures: [], interactions: [], backends: [], sinks: [] }, experiment: 'e', unit: 'steps', cursor: 0 };
      const state = (cursor: number): RunState => ({
        cursor,
        lastStep: cursor,
        population: { weights: Float32Array.of(cursor, NaN), uid: Float64Array.of(3), birthStep: Float64Array.of(0), parentUid: Float64Array.of(-1), nextUid: 4 },
        random: { init: [1, 2, 3, 4] },
        experiment: { step: cursor, odd: Uint8Array.of(1, 2, 3) },
      });
      const events = { records: 0, jsonBytes: 0, binaryBytes: 0 };
      store.save(state(1), header, events);
      const index = store.save(state(2), header, events);
      assert.equal(index.sequence, 2);
      assert.deepEqual(readdirSync(store.dir).sort(), ['index.json', 'run.json', 'state-2.bin']);
      assert.deepEqual(store.loadState(store.readIndex()!), state(2));
      // an index naming a file elsewhere (here: run.json beside it, or one outside) is refused, not read
      for (const binary of ['../outside.bin', 'run.json', '/dev/zero', 7]) {
        assert.throws(() => store.loadState({ ...index, binary } as unknown as typeof index), /"binary" must name a state-N\.bin file/, String(binary));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the event log replays what it held at a position and cuts off what came after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'srnn-event-log-'));
    try {
      const log = new EventLog(dir);
      const census = { kind: 'census', step: 1, census: { divergent: 0, zero: 0, fixpoint: 1, 'second-order': 0, other: 0 }, meanLoss: NaN } as const;
      const classified = { kind: 'classified', step: 1, uids: Float64Array.of(7, 8), classes: Uint8Array.of(2, 4) } as const;
      log.append(census);
      log.append(classified);
      const position = log.sync();
      log.append({ ...census, step: 2 });
      log.close();
      const reopened = new EventLog(dir, position);
      assert.deepEqual([...reopened.replay(position)], [census, classified]);
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
