import { existsSync, lstatSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './process-identity';
import { readResultsMarker } from './results-target';

/**
 * `.srnn-tmp-<name>-<pid>-<ms>`: the temporary directory a results directory is written into;
 * with `-old`: an earlier results directory on its way out while the new one takes its place.
 */
const TEMPORARY = /^\.srnn-tmp-(.+)-(\d+)-(\d+)(-old)?$/;

/** A fresh temporary directory's path beside `target`. */
export function temporaryPath(target: string): string {
  return join(dirname(target), `.srnn-tmp-${basename(target)}-${process.pid}-${Date.now()}`);
}

/**
 * Removes what srnn processes that were killed (SIGKILL, SIGHUP, a crash) left beside `target`;
 * returns the paths removed. Only directories srnn made are touched: a name of the temporary
 * pattern, the results marker srnn writes into it when creating it, and its writer's pid not
 * running on this host. An earlier results directory of `target` left on its way out (the caller
 * holds `target`'s lock, so no swap of it is under way) is removed when `target` exists, and
 * put back when the swap did not get that far.
 */
export function removeStaleTemporaries(target: string): string[] {
  const parent = dirname(target);
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    const match = TEMPORARY.exec(name);
    if (!match) continue;
    const path = join(parent, name);
    if (!lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) continue;
    const marker = readResultsMarker(path);
    if (!marker) continue;
    const [, base, pid, , old] = match;
    if (old) {
      if (base !== basename(target) || processAlive({ pid: Number(pid), hostname: hostname() }) !== false) continue;
      if (existsSync(target)) remove(path, removed);
      else renameSync(path, target);
    } else if (marker.writer.pid === Number(pid) && processAlive(marker.writer) === false) {
      remove(path, removed);
    }
  }
  return removed;
}

function remove(path: string, removed: string[]): void {
  try {
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  } catch {
    // another process cleaning up at the same time, or no permission: not this run's business
  }
}
