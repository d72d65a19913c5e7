import { renameSync, writeFileSync } from 'node:fs';

/** Writes a file so that readers see either nothing or the whole content. */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
