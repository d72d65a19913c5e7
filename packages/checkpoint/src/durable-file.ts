import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TypedArray } from './state-codec';

/** The bytes of a typed array as they lie in memory (little-endian on every platform srnn runs on). */
export function bytesOf(array: TypedArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Writes `parts` one after another into `path` so that a kill at any moment leaves either the
 * previous file or the whole new one: into a temporary file beside it, fsync, rename, fsync of
 * the directory.
 */
export function writeDurably(path: string, parts: readonly (string | Uint8Array)[]): void {
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  const fd = openSync(temporary, 'w');
  try {
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      for (let done = 0; done < bytes.byteLength;) done += writeSync(fd, bytes, done);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}

/** Makes renames and new entries in `dir` durable. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
