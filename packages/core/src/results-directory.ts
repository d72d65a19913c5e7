import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { OutputSink } from './output-sink';
import type { PluginRegistry } from './registry';
import { renderFigures } from './render-figures';
import type { Run, RunResult } from './run';

/**
 * Executes a run with every sink writing into a hidden temporary directory beside `outDir`, which
 * replaces `outDir` only after the run and all sinks succeeded. A failed or interrupted run leaves
 * no results directory behind (and an earlier one untouched).
 */
export function runIntoDirectory(run: Run, outDir: string, sinks: readonly OutputSink[], registry?: PluginRegistry): Promise<RunResult> {
  return intoResultsDirectory(outDir, (temporary) => writeRunResults(run, temporary, sinks, registry));
}

/**
 * Calls `write` with a fresh hidden temporary directory beside `outDir` and, once it resolves,
 * puts that directory in place of `outDir` as a whole. If `write` rejects (or the process exits
 * first) the temporary directory is removed and `outDir` is left as it was.
 */
export async function intoResultsDirectory<T>(outDir: string, write: (temporary: string) => Promise<T>): Promise<T> {
  const target = resolve(outDir);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.srnn-tmp-${basename(target)}-${process.pid}-${Date.now()}`);
  mkdirSync(temporary);
  const removeTemporary = () => rmSync(temporary, { recursive: true, force: true });
  process.once('exit', removeTemporary);
  try {
    const result = await write(temporary);
    replaceDirectory(temporary, target);
    return result;
  } finally {
    removeTemporary();
    process.off('exit', removeTemporary);
  }
}

/**
 * Executes a run with every sink writing its files into `dir` (which must exist), then draws the
 * figures into it. Not atomic by itself: `dir` is meant to be (inside) a temporary directory.
 */
export async function writeRunResults(run: Run, dir: string, sinks: readonly OutputSink[], registry?: PluginRegistry): Promise<RunResult> {
  const written = sinks.map((sink) => sink.attach(run.events$, dir));
  const result = await run.execute();
  await Promise.all(written);
  if (registry) await renderFigures(dir, run.scenario, registry);
  return result;
}

function replaceDirectory(from: string, to: string): void {
  if (!existsSync(to)) {
    renameSync(from, to);
    return;
  }
  const old = `${from}-old`;
  renameSync(to, old);
  renameSync(from, to);
  rmSync(old, { recursive: true, force: true });
}
