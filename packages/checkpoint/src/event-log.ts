import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '@srnn/core';
import type { ArrayRef, EventLogPosition } from './checkpoint-format';
import { bytesOf } from './durable-file';
import { arrayOf, arrayType, decodeValue, encodeValue, type TypedArray } from './state-codec';

/**
 * The events a run emitted for its results sinks, so that a resumed run can replay them into
 * fresh sinks: `events.jsonl` (one encoded event per line) and `events.bin` (their typed arrays,
 * raw little-endian, referenced by byte offset). Appended as the run goes; a checkpoint records
 * how far it reached, and a resumed run cuts off what came after.
 */
export class EventLog {
  private readonly json: number;
  private readonly binary: number;
  private position: { records: number; jsonBytes: number; binaryBytes: number };

  constructor(
    private readonly dir: string,
    from: EventLogPosition = { records: 0, jsonBytes: 0, binaryBytes: 0 },
  ) {
    this.json = openSync(join(dir, 'events.jsonl'), from.records === 0 ? 'w' : 'r+');
    this.binary = openSync(join(dir, 'events.bin'), from.records === 0 ? 'w' : 'r+');
    ftruncateSync(this.json, from.jsonBytes);
    ftruncateSync(this.binary, from.binaryBytes);
    this.position = { ...from };
  }

  append(event: RunEvent): void {
    const encoded = encodeValue(
      event,
      (array: TypedArray): ArrayRef => {
        const ref = { type: arrayType(array), offset: this.position.binaryBytes, length: array.length };
        this.position.binaryBytes += writeAll(this.binary, bytesOf(array), ref.offset);
        return ref;
      },
      event.kind,
    );
    this.position.jsonBytes += writeAll(this.json, Buffer.from(JSON.stringify(encoded) + '\n'), this.position.jsonBytes);
    this.position.records++;
  }

  /** Makes what was appended durable; returns how far the log reaches. */
  sync(): EventLogPosition {
    fsyncSync(this.binary);
    fsyncSync(this.json);
    return { ...this.position };
  }

  /** The first `position.records` events, decoded one by one. */
  *replay(position: EventLogPosition): Iterable<RunEvent> {
    const lines = readFileSync(join(this.dir, 'events.jsonl')).subarray(0, position.jsonBytes).toString('utf8').split('\n');
    for (let i = 0; i < position.records; i++) {
      yield decodeValue(JSON.parse(lines[i]), (ref) => {
        const { type, offset, length } = ref as ArrayRef;
        const bytes = new Uint8Array(arrayOf(type, new Uint8Array(0)).BYTES_PER_ELEMENT * length);
        readSync(this.binary, bytes, 0, bytes.byteLength, offset);
        return arrayOf(type, bytes);
      }) as RunEvent;
    }
  }

  close(): void {
    closeSync(this.json);
    closeSync(this.binary);
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): number {
  for (let done = 0; done < bytes.byteLength;) done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
  return bytes.byteLength;
}

/**
 * The events a partial run has logged so far (`events.jsonl` of its checkpoint directory), read
 * without touching the log — its run may still be going on. Only complete lines count, and only
 * events without typed arrays (those of `kinds`, e.g. census); a line that does not parse (being
 * written) ends the reading.
 */
export function readLoggedEvents(dir: string, kinds: readonly string[]): RunEvent[] {
  let text: string;
  try {
    text = readFileSync(join(dir, 'events.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const events: RunEvent[] = [];
  const lines = text.split('\n');
  lines.pop(); // after the last newline: empty, or a line being written
  for (const line of lines) {
    let encoded: { kind?: unknown };
    try {
      encoded = JSON.parse(line) as { kind?: unknown };
    } catch {
      break;
    }
    if (typeof encoded.kind !== 'string' || !kinds.includes(encoded.kind)) continue;
    events.push(
      decodeValue(encoded, () => {
        throw new Error(`a logged ${String(encoded.kind)} event holds a typed array`);
      }) as RunEvent,
    );
  }
  return events;
}
