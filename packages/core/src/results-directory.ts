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
export async function runIntoDirectory(run: Run, outDir: string, sinks: readonly OutputSink[], registry?: PluginRegistry): Promise<RunResult> {
  const target = resolve(outDir);
  mkdirSync(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.srnn-tmp-${basename(target)}-${process.pid}-${Date.now()}`);
  mkdirSync(temporary);
  const removeTemporary = () => rmSync(temporary, { recursive: true, force: true });
  process.once('exit', removeTemporary);
  try {
    const written = sinks.map((sink) => sink.attach(run.events$, temporary));
    const result = await run.execute();
    await Promise.all(written);
    if (registry) await renderFigures(temporary, run.scenario, registry);
    replaceDirectory(temporary, target);
    return result;
  } finally {
    removeTemporary();
    process.off('exit', removeTemporary);
  }
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
