import { closeSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { PARTICLE_CLASSES, type OutputSink, type PopulationSnapshot, type RunEvent, type RunEventKind } from '@srnn/core';

export const SNAPSHOT_WEIGHTS_FILE = 'snapshots.f32';
export const SNAPSHOT_INDEX_FILE = 'snapshots.json';

/** The index of snapshots.f32, as snapshots.json holds it. */
export interface SnapshotIndex {
  readonly format: 'srnn-snapshots/1';
  /** The weights file: raw little-endian float32, [count × size × weightCount], snapshot-major. */
  readonly weights: string;
  readonly size: number;
  readonly weightCount: number;
  /** Names of the class codes. */
  readonly classes: readonly string[];
  /** Per snapshot, in file order: its step (a soup's epoch), and per particle (population order) uid and class code. */
  readonly snapshots: readonly { readonly step: number; readonly uids: number[]; readonly classes: number[] }[];
  readonly steps: readonly number[];
  readonly count: number;
}

/**
 * snapshots.f32 + snapshots.json from `snapshot` events (a soup's `snapshotEvery`): each snapshot
 * is streamed to disk when it arrives, so memory does not grow with their number.
 */
@injectable()
export class SnapshotSink implements OutputSink {
  readonly name = 'snapshots';

  kinds(): readonly RunEventKind[] {
    return ['snapshot', 'run-finished'];
  }

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let writer: SnapshotWriter | undefined;
      let failed = false;
      const subscription = events$.subscribe({
        next: (event) => {
          if (failed) return;
          try {
            if (event.kind === 'snapshot') (writer ??= new SnapshotWriter(dir, event.population)).append(event.population);
            else if (event.kind === 'run-finished') writer?.finish();
          } catch (error) {
            failed = true;
            writer?.close();
            subscription?.unsubscribe();
            reject(error);
          }
        },
        error: (error) => {
          writer?.close();
          reject(error);
        },
        complete: () => {
          writer?.close(); // after a failed run the results directory is dropped anyway
          resolve();
        },
      });
    });
  }
}

const CHUNK = 1 << 16;
const LITTLE_ENDIAN = endianness() === 'LE';

class SnapshotWriter {
  private weightsFd: number | undefined;
  private indexFd: number | undefined;
  private readonly steps: number[] = [];
  private readonly size: number;
  private readonly weightCount: number;

  constructor(dir: string, first: PopulationSnapshot) {
    this.size = first.uids.length;
    this.weightCount = first.weightCount;
    this.weightsFd = openSync(join(dir, SNAPSHOT_WEIGHTS_FILE), 'w');
    this.indexFd = openSync(join(dir, SNAPSHOT_INDEX_FILE), 'w');
    this.text(
      '{\n' +
        '  "format": "srnn-snapshots/1",\n' +
        `  "weights": "${SNAPSHOT_WEIGHTS_FILE}",\n` +
        `  "size": ${this.size},\n` +
        `  "weightCount": ${this.weightCount},\n` +
        `  "classes": ${JSON.stringify(PARTICLE_CLASSES)},\n` +
        '  "snapshots": [\n',
    );
  }

  append(snapshot: PopulationSnapshot): void {
    if (snapshot.uids.length !== this.size || snapshot.weightCount !== this.weightCount) {
      throw new Error(`snapshot at step ${snapshot.step}: ${snapshot.uids.length} × ${snapshot.weightCount} weights, the first had ${this.size} × ${this.weightCount}`);
    }
    writeAll(this.weightsFd!, littleEndian(snapshot.weights));
    this.text(`${this.steps.length > 0 ? ',\n' : ''}    { "step": ${snapshot.step}, "uids": [`);
    this.numbers(snapshot.uids);
    this.text('], "classes": [');
    this.numbers(snapshot.classes);
    this.text('] }');
    this.steps.push(snapshot.step);
  }

  finish(): void {
    this.text(`\n  ],\n  "steps": [${this.steps.join(', ')}],\n  "count": ${this.steps.length}\n}\n`);
    this.close();
  }

  close(): void {
    if (this.weightsFd !== undefined) closeSync(this.weightsFd);
    if (this.indexFd !== undefined) closeSync(this.indexFd);
    this.weightsFd = this.indexFd = undefined;
  }

  private text(text: string): void {
    writeAll(this.indexFd!, Buffer.from(text, 'utf8'));
  }

  /** A comma-separated list, written in chunks so that a large population needs no large string. */
  private numbers(values: Float64Array | Uint8Array): void {
    for (let from = 0; from < values.length; from += CHUNK) {
      const chunk = Array.from(values.subarray(from, from + CHUNK)).join(',');
      this.text(from > 0 ? `,${chunk}` : chunk);
    }
  }
}

function littleEndian(values: Float32Array): Buffer {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32();
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
}
