import { lstatSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { OutputSink, PluginRegistry, Run, RunEventKind, RunEventKinds, RunResult } from '@srnn/core';
import { attachCheckpoints, checkpointEvery, type AttachedCheckpoints } from '@srnn/checkpoint';
import { clearPartialResults, keepPartial, openPartial, refuseUnfinished, type PartialMode } from './partial-directory';
import { figureFailureMessage, renderFigures, type FigureFailureHandler } from './render-figures';
import { acquireResultsLock } from './results-lock';
import { checkResultsTarget, OutputDirectoryError, writeResultsMarker, type ResultsKind, type ResultsTarget, type ResultsTargetOptions } from './results-target';
import { removeStaleTemporaries, temporaryPath } from './stale-temporaries';
import { asWriteFailure } from './write-failure';

export * from './results-target';
export { ResultsWriteError } from './write-failure';

export interface ResultsDirectoryOptions extends ResultsTargetOptions {
  /** What the directory holds, as its marker records (default `run`). */
  readonly kind?: ResultsKind;
  /**
   * Write in `<out>.partial/` (a run with checkpoints), kept when the run fails after its first
   * checkpoint: `start` a new one, `resume` the one there.
   */
  readonly partial?: PartialMode;
}

/** What `write` gets besides its directory. */
export interface ResultsDirectoryContext {
  /** Reports a figure that failed as a warning naming the final directory; the results are kept. */
  readonly onFigureFailure: FigureFailureHandler;
}

/**
 * Executes a run with every sink writing into a hidden temporary directory beside `outDir`, which
 * replaces `outDir` only after the run and all sinks succeeded (see `intoResultsDirectory`).
 */
export function runIntoDirectory(run: Run, outDir: string, sinks: readonly OutputSink[], registry?: PluginRegistry, options: ResultsDirectoryOptions = {}): Promise<RunResult> {
  const inputs = options.inputs ?? (run.source ? [run.source.file] : []);
  const partial = options.partial ?? (registry && checkpointEvery(run.scenario, registry) !== undefined ? 'start' : undefined);
  return intoResultsDirectory(outDir, (temporary, { onFigureFailure }) => writeRunResults(run, temporary, sinks, registry, onFigureFailure), { kind: 'run', inputs, partial });
}

/**
 * Calls `write` with a fresh hidden temporary directory beside `outDir` and, once it resolves,
 * puts that directory in place of `outDir` as a whole. If `write` rejects (or the process exits
 * first) the temporary directory is removed and `outDir` is left as it was.
 *
 * `outDir` never replaces what srnn did not write: before anything is written (and again right
 * before the swap) it must be missing, an empty directory, or a results directory (marked by
 * `.srnn-results`), and neither the working directory, one of its parents, nor a folder holding
 * one of `options.inputs` — else an OutputDirectoryError. A lock beside it refuses a second writer
 * (OutputDirectoryError); locks and temporary directories of processes that are gone are taken
 * over or removed. A failure to write (disk full, no permission) is a ResultsWriteError.
 */
export async function intoResultsDirectory<T>(outDir: string, write: (temporary: string, context: ResultsDirectoryContext) => Promise<T>, options: ResultsDirectoryOptions = {}): Promise<T> {
  checkResultsTarget(outDir, options);
  const target = resolve(outDir);
  const parent = dirname(target);
  let temporary = '';
  const removeTemporary = () => {
    if (temporary && !(options.partial && keepPartial(temporary, outDir))) rmSync(temporary, { recursive: true, force: true });
    temporary = '';
  };
  // named by where the figure's directory will be, not by the temporary directory
  const onFigureFailure: FigureFailureHandler = ({ figure, dir, error }) => {
    process.stderr.write(`srnn: ${figureFailureMessage(figure, join(outDir, relative(temporary, dir)), error)}\n`);
  };
  try {
    mkdirSync(parent, { recursive: true });
    const lock = acquireResultsLock(target, outDir);
    try {
      checkResultsTarget(outDir, options);
      if (options.partial !== 'resume') refuseUnfinished(target, outDir);
      removeStaleTemporaries(target);
      if (options.partial) {
        temporary = openPartial(target, outDir, options.partial, options.kind ?? 'run');
      } else {
        temporary = temporaryPath(target);
        mkdirSync(temporary);
        writeResultsMarker(temporary, options.kind ?? 'run');
      }
      process.once('exit', removeTemporary);
      const result = await write(temporary, { onFigureFailure });
      if (options.partial) {
        // finished: from here on an ordinary temporary directory (a kill now loses nothing worth resuming)
        const finished = temporaryPath(target);
        renameSync(temporary, finished);
        temporary = finished;
      }
      let now: ResultsTarget;
      try {
        now = checkResultsTarget(outDir, options);
      } catch (error) {
        throw keptElsewhere(error, temporary, target);
      }
      replaceDirectory(temporary, target, now);
      return result;
    } finally {
      removeTemporary();
      process.off('exit', removeTemporary);
      lock.release();
    }
  } catch (error) {
    throw asWriteFailure(error, outDir, parent);
  }
}

/**
 * Executes a run with every sink writing its files into `dir` (which must exist), then draws the
 * figures into it. Not atomic by itself: `dir` is meant to be (inside) a temporary directory. A
 * sink that fails stops the run (its error is the run's); a figure that fails rejects, or with
 * `onFigureFailure` is reported there and the results are kept.
 */
export async function writeRunResults(run: Run, dir: string, sinks: readonly OutputSink[], registry?: PluginRegistry, onFigureFailure?: FigureFailureHandler): Promise<RunResult> {
  const { result, checkpoints } = await writeSinkFiles(run, dir, sinks, registry);
  if (registry) await renderFigures(dir, run.scenario, registry, onFigureFailure);
  checkpoints?.finish();
  return result;
}

/**
 * The same without figures (a sweep's run): with `registry`, the run saves checkpoints into `dir`
 * when its scenario asks for them (and continues from the one there); they are removed once the
 * files are written.
 */
export async function writeRunFiles(run: Run, dir: string, sinks: readonly OutputSink[], registry?: PluginRegistry): Promise<RunResult> {
  const { result, checkpoints } = await writeSinkFiles(run, dir, sinks, registry);
  checkpoints?.finish();
  return result;
}

async function writeSinkFiles(run: Run, dir: string, sinks: readonly OutputSink[], registry?: PluginRegistry): Promise<{ result: RunResult; checkpoints?: AttachedCheckpoints }> {
  const every = registry && checkpointEvery(run.scenario, registry);
  let checkpoints: AttachedCheckpoints | undefined;
  if (every !== undefined && registry) {
    clearPartialResults(dir);
    // before the sinks subscribe: a checkpoint that cannot be continued fails here, with no sink waiting for the run
    checkpoints = attachCheckpoints(run, dir, registry, every, sinkKinds(sinks, run));
  }
  let sinkFailure: { error: unknown } | undefined;
  const written = Promise.all(sinks.map((sink) => sink.attach(run.eventsOf(sink.kinds(run.scenario)), dir))).catch((error: unknown) => {
    sinkFailure ??= { error };
    run.cancel(error instanceof Error ? error.message : String(error));
  });
  let result: RunResult;
  try {
    result = await run.execute();
  } catch (error) {
    checkpoints?.close();
    await written;
    throw sinkFailure ? sinkFailure.error : error;
  }
  checkpoints?.close();
  await written;
  if (sinkFailure) throw sinkFailure.error;
  return { result, checkpoints };
}

/** Every kind the sinks read from `run`: what a resumed run replays into them. */
function sinkKinds(sinks: readonly OutputSink[], run: Run): RunEventKinds {
  const kinds = new Set<RunEventKind>();
  for (const sink of sinks) {
    const wanted = sink.kinds(run.scenario);
    if (wanted === 'all') return 'all';
    for (const kind of wanted) kinds.add(kind);
  }
  return [...kinds];
}

/** Puts the finished `from` in place of `to`, which is missing, an empty directory or a results directory. */
function replaceDirectory(from: string, to: string, now: ResultsTarget): void {
  // rename(2) replaces an empty directory by itself
  if (now.state !== 'results') {
    renameSync(from, to);
    return;
  }
  const old = `${from}-old`;
  renameSync(to, old);
  try {
    renameSync(from, to);
  } catch (error) {
    renameSync(old, to);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * Something appeared at the target while the results were being written: it is left as it is,
 * and the finished results go to the first free `<target>-<n>` instead, so that they are not lost.
 */
function keptElsewhere(error: unknown, temporary: string, target: string): unknown {
  if (!(error instanceof OutputDirectoryError)) return error;
  for (let n = 2; n < 1000; n++) {
    const other = `${target}-${n}`;
    if (lstatSync(other, { throwIfNoEntry: false })) continue;
    renameSync(temporary, other);
    return new OutputDirectoryError(`${error.message} (it changed while the results were written; they are in ${other} instead)`);
  }
  return error;
}
