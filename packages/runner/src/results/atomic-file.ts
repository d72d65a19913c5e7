import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

let written = 0;

/**
 * Writes a file so that readers see either nothing (or its previous content) or the whole new
 * content: the bytes go to a hidden temporary file beside it (named per process, thread and call,
 * so that no two writers share one), which is then renamed over it.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${threadId}-${written++}`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
