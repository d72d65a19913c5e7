import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { RunState } from '@srnn/core';
import { CHECKPOINT_FORMAT, type ArrayRef, type CheckpointIdentity, type CheckpointIndex, type EventLogPosition } from './checkpoint-format';
import { bytesOf, syncDirectory, writeDurably } from './durable-file';
import { arrayOf, arrayType, decodeValue, encodeValue, type TypedArray } from './state-codec';

const BINARY = /^state-(\d+)\.bin$/;

/** What `run.json` holds: the run's identity and its resolved scenario. */
export interface CheckpointRun extends CheckpointIdentity {
  readonly scenario: unknown;
}

/**
 * The checkpoint directory of a partial run: `run.json` (written when the run starts), the latest
 * checkpoint's `index.json` and its `state-<sequence>.bin`, and the event log. A checkpoint's
 * binary is written (and fsynced) before its index replaces the previous one, and the previous
 * binary is removed only after that, so a kill at any moment leaves a complete checkpoint.
 */
export class CheckpointStore {
  constructor(readonly dir: string) {
    if (endianness() !== 'LE') throw new Error('checkpoints are written on little-endian machines only');
  }

  readRun(): CheckpointRun | undefined {
    return this.readJson<CheckpointRun>('run.json');
  }

  writeRun(run: CheckpointRun): void {
    mkdirSync(this.dir, { recursive: true });
    writeDurably(join(this.dir, 'run.json'), [JSON.stringify(run, null, 2) + '\n']);
  }

  /** The latest checkpoint's index, or undefined when none has been written yet. */
  readIndex(): CheckpointIndex | undefined {
    const index = this.readJson<CheckpointIndex>('index.json');
    if (index && index.format !== CHECKPOINT_FORMAT) throw new Error(`checkpoint ${join(this.dir, 'index.json')}: format ${index.format}, expected ${CHECKPOINT_FORMAT}`);
    return index;
  }

  /** Writes a checkpoint of `state`; returns its index. */
  save(state: RunState, header: Omit<CheckpointIndex, 'binary' | 'state' | 'sequence' | 'written' | 'events'>, events: EventLogPosition): CheckpointIndex {
    const sequence = (this.readIndex()?.sequence ?? 0) + 1;
    const binary = `state-${sequence}.bin`;
    const parts: Uint8Array[] = [];
    let offset = 0;
    const encoded = encodeValue(state, (array: TypedArray): ArrayRef => {
      const padding = (8 - (offset % 8)) % 8;
      if (padding) parts.push(new Uint8Array(padding));
      offset += padding;
      const ref = { type: arrayType(array), offset, length: array.length };
      parts.push(bytesOf(array));
      offset += array.byteLength;
      return ref;
    });
    writeDurably(join(this.dir, binary), parts);
    const index: CheckpointIndex = { ...header, sequence, written: new Date().toISOString(), binary, events, state: encoded };
    writeDurably(join(this.dir, 'index.json'), [JSON.stringify(index) + '\n']);
    for (const name of readdirSync(this.dir)) if (BINARY.test(name) && name !== binary) rmSync(join(this.dir, name), { force: true });
    return index;
  }

  /** The run state of a checkpoint, typed arrays read from its binary. */
  loadState(index: CheckpointIndex): RunState {
    // an index of another origin must not make resume read elsewhere
    if (typeof index.binary !== 'string' || !BINARY.test(index.binary))
      throw new Error(`checkpoint index: "binary" must name a state-N.bin file of the checkpoint, got ${JSON.stringify(index.binary)}`);
    const fd = openSync(join(this.dir, index.binary), 'r');
    try {
      return decodeValue(index.state, (ref) => {
        const { type, offset, length } = ref as ArrayRef;
        const size = arrayOf(type, new Uint8Array(0)).BYTES_PER_ELEMENT * length;
        const bytes = new Uint8Array(size);
        if (readSync(fd, bytes, 0, size, offset) !== size) throw new Error(`checkpoint ${index.binary}: truncated`);
        return arrayOf(type, bytes);
      }) as RunState;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Removes the checkpoint directory: its index first (durably), so that a kill while the rest goes
   * leaves no checkpoint rather than one missing its files (a resume then starts from the beginning).
   */
  remove(): void {
    if (existsSync(join(this.dir, 'index.json'))) {
      rmSync(join(this.dir, 'index.json'));
      syncDirectory(this.dir);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private readJson<T>(name: string): T | undefined {
    const path = join(this.dir, name);
    if (!existsSync(path)) return undefined;
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  }
}
