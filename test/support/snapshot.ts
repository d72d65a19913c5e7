import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir` (hidden ones too) with its content, for "nothing was touched" comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) walk(path);
      else files[relative(dir, path)] = stats.isSymbolicLink() ? '<symbolic link>' : readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}
