import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { asProcessIdentity, currentProcess, processAlive } from './process-identity';
import { OutputDirectoryError } from './results-target';

/** A lock file whose content cannot be read yet is being written: taken for held this long. */
const UNREADABLE_LOCK_MS = 5_000;

/** The lock file of a results directory: beside it, so that it exists while the directory does not. */
export function resultsLockPath(target: string): string {
  return join(dirname(target), `.srnn-lock-${basename(target)}`);
}

/** A held lock on a results directory's path; `release()` it when done (it is also released when the process exits). */
export interface ResultsLock {
  release(): void;
}

/**
 * Locks `target` (an absolute path) for this process: a file created exclusively beside it, holding
 * this process's pid, host and start time. A lock whose process is gone (killed, crashed) is taken
 * over; one held by a running process (or by a process on another host, which cannot be checked)
 * is an OutputDirectoryError naming it. `shown` names the target in messages.
 */
export function acquireResultsLock(target: string, shown: string): ResultsLock {
  const path = resultsLockPath(target);
  const content = JSON.stringify({ ...currentProcess(), target, started: new Date().toISOString() }) + '\n';
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      writeFileSync(path, content, { flag: 'wx' });
      return heldLock(path, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = readLock(path);
    if (held === undefined) continue; // released meanwhile
    const holder = asProcessIdentity(parseJson(held));
    if (!holder) {
      if (ageMs(path) < UNREADABLE_LOCK_MS) {
        pause(50);
        continue;
      }
    } else {
      const alive = processAlive(holder);
      if (alive !== false) {
        const where = alive === undefined ? ` on ${holder.hostname}` : '';
        const stale = alive === undefined ? `; if it no longer runs, delete ${path}` : '';
        throw new OutputDirectoryError(`another srnn process (pid ${holder.pid}${where}) is writing ${shown}; wait for it to finish or choose another --out${stale}`);
      }
    }
    breakStaleLock(path, held);
  }
  throw new OutputDirectoryError(`could not lock ${shown}: ${path} keeps changing; is another srnn process writing it?`);
}

function heldLock(path: string, content: string): ResultsLock {
  const release = () => {
    process.off('exit', release);
    // only our own lock: a lock file that is not ours any more is left to its owner
    if (readLock(path) === content) unlinkSync(path);
  };
  process.once('exit', release);
  return { release };
}

/**
 * Removes the lock file at `path` if it still holds `stale`. Breakers serialise on a second
 * exclusive file, so that two processes that both found the same stale lock cannot remove a
 * fresh lock the other has just taken.
 */
function breakStaleLock(path: string, stale: string): void {
  const breaking = `${path}.break`;
  try {
    writeFileSync(breaking, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // another process is breaking it (for microseconds), or died doing so
    if (ageMs(breaking) > UNREADABLE_LOCK_MS) unlinkQuietly(breaking);
    else pause(20);
    return;
  }
  try {
    if (readLock(path) === stale) unlinkSync(path);
  } finally {
    unlinkQuietly(breaking);
  }
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
