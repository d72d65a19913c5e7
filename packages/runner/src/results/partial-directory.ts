import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SRNN_VERSION } from '@srnn/core';
import { CHECKPOINT_DIR, readPartialRun, SWEEP_RECORD_DIR, SweepRecord } from '@srnn/checkpoint';
import { writeFileAtomic } from './atomic-file';
import { currentProcess } from './process-identity';
import { OutputDirectoryError, readResultsMarker, RESULTS_MARKER, type ResultsKind, type ResultsMarker } from './results-target';

/** `start`: a new run with checkpoints; `resume`: continue the one in `<out>.partial/`. */
export type PartialMode = 'start' | 'resume';

/** Where a run with checkpoints writes until it has finished: `<out>.partial` beside `<out>`. */
export function partialPath(target: string): string {
  return join(dirname(target), `${basename(target)}.partial`);
}

/** True when `<out>.partial` holds an unfinished run srnn wrote. */
export function hasPartialRun(target: string): boolean {
  return readResultsMarker(partialPath(target)) !== undefined;
}

/** `srnn run` (or a sweep) on an `<out>` whose run is unfinished: refused, pointing at `srnn resume`. */
export function refuseUnfinished(target: string, shown: string): void {
  const partial = partialPath(target);
  if (!lstatSync(partial, { throwIfNoEntry: false })) return;
  if (!hasPartialRun(target)) throw new OutputDirectoryError(`refusing to write ${shown}: ${partial} exists and srnn did not write it; move it away yourself`);
  throw new OutputDirectoryError(`${partial} holds an unfinished ${readResultsMarker(partial)?.kind === 'sweep' ? 'sweep' : 'run'} of ${shown}${checkpointAt(partial)}: continue it with: srnn resume ${shown} (or remove it: rm -r ${partial})`);
}

/** Opens `<out>.partial` (made, or found for `resume`) with this process's marker; returns its path. */
export function openPartial(target: string, shown: string, mode: PartialMode, kind: ResultsKind): string {
  const partial = partialPath(target);
  if (mode === 'resume') {
    if (!hasPartialRun(target)) throw new OutputDirectoryError(`nothing to resume: ${partial} holds no unfinished run of ${shown}`);
  } else {
    mkdirSync(partial);
  }
  const marker: ResultsMarker = { format: 1, kind, srnn: SRNN_VERSION, writer: currentProcess(), created: new Date().toISOString() };
  writeFileAtomic(join(partial, RESULTS_MARKER), JSON.stringify(marker, null, 2) + '\n');
  return partial;
}

/**
 * Whether a partial directory is worth keeping after its run failed or was interrupted: once it
 * holds a checkpoint it is, and srnn says how to continue it; before, it is removed.
 */
export function keepPartial(partial: string, shown: string): boolean {
  const sweep = readResultsMarker(partial)?.kind === 'sweep';
  if (!(sweep ? sweepWorthKeeping(partial) : existsSync(join(partial, CHECKPOINT_DIR, 'index.json')))) return false;
  try {
    process.stderr.write(`srnn: the unfinished ${sweep ? 'sweep' : 'run'} is kept in ${partial}${checkpointAt(partial)}; continue it with: srnn resume ${shown}\n`);
  } catch {
    // no terminal left to tell (SIGHUP)
  }
  return true;
}

/** Before a run with checkpoints writes into `dir`: what its sinks wrote before an interruption goes (the marker and the checkpoint stay). */
export function clearPartialResults(dir: string): void {
  for (const name of readdirSync(dir)) if (name !== RESULTS_MARKER && name !== CHECKPOINT_DIR) rmSync(join(dir, name), { recursive: true, force: true });
}

/** A sweep's partial directory holds something worth resuming: a finished run, or a run's checkpoint. */
function sweepWorthKeeping(partial: string): boolean {
  const record = new SweepRecord(join(partial, SWEEP_RECORD_DIR));
  if (record.finishedCount() > 0) return true;
  const plan = record.readPlan()?.plan as { runs: readonly { id: string }[] } | undefined;
  return plan?.runs.some((run) => existsSync(join(partial, 'runs', run.id, CHECKPOINT_DIR, 'index.json'))) ?? false;
}

function checkpointAt(partial: string): string {
  try {
    if (readResultsMarker(partial)?.kind === 'sweep') {
      const record = new SweepRecord(join(partial, SWEEP_RECORD_DIR));
      const plan = record.readPlan()?.plan as { runs: readonly unknown[] } | undefined;
      return plan ? ` (${record.finishedCount()} of ${plan.runs.length} runs finished)` : ' (no run started yet)';
    }
    const index = readPartialRun(partial)?.index;
    return index ? ` (checkpoint after ${index.cursor} ${index.unit})` : ' (no checkpoint yet)';
  } catch {
    return '';
  }
}
