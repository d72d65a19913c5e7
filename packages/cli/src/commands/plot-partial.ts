import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { RunEventOf } from '@srnn/core';
import { CHECKPOINT_DIR, readLoggedEvents, readPartialRun, SWEEP_RECORD_DIR } from '@srnn/checkpoint';
import { CENSUS_HEADER, censusLine, intoResultsDirectory, partialPath, readResultsMarker, renderFigures, type Srnn } from '@srnn/runner';
import { UsageError } from '../command-support';

/** The unfinished run `srnn plot` was pointed at: `<out>.partial` itself, or `<out>` when only its partial directory exists. */
export function partialToPlot(dir: string): { partial: string; out: string } | undefined {
  const named = resolve(dir);
  if (basename(named).endsWith('.partial') && isPartial(named)) return { partial: named, out: named.slice(0, -'.partial'.length) };
  if (!existsSync(named) && isPartial(partialPath(named))) return { partial: partialPath(named), out: named };
  return undefined;
}

/** A directory srnn is writing a run or sweep with checkpoints into. */
export function isPartial(dir: string): boolean {
  return readResultsMarker(dir) !== undefined && (existsSync(join(dir, CHECKPOINT_DIR)) || existsSync(join(dir, SWEEP_RECORD_DIR)));
}

/** Where `srnn plot` draws what an unfinished run has so far: `<out>.so-far/` beside it (resume never looks there). */
export function soFarPath(out: string): string {
  return join(dirname(out), `${basename(out)}.so-far`);
}

/**
 * Draws what an unfinished run has so far — its census over time, from the event log of its
 * checkpoint directory, read without changing it — into `<out>.so-far/` (a results directory of
 * its own, replaced by the next plot): census.csv and the figures drawn from it. Nothing in the
 * partial directory is touched, so the run (going on or interrupted) can still be resumed.
 */
export async function plotPartialRun(srnn: Srnn, shown: string, found: { partial: string; out: string }): Promise<string> {
  const { partial, out } = found;
  if (readResultsMarker(partial)?.kind === 'sweep')
    throw new UsageError(`${partial} holds an unfinished sweep: plot one of its runs (srnn plot ${join(partial, 'runs', '<run id>')}), or the sweep once it has finished (srnn resume ${shown})`);
  const run = readPartialRun(partial);
  if (!run) throw new UsageError(`${partial}: the unfinished run has not recorded its scenario yet; nothing to plot`);
  const census = readLoggedEvents(join(partial, CHECKPOINT_DIR), ['census']) as RunEventOf<'census'>[];
  const soFar = soFarPath(out);
  const shownSoFar = relative(process.cwd(), soFar) || soFar;
  const files = await intoResultsDirectory(
    soFar,
    async (temporary) => {
      writeFileSync(join(temporary, 'census.csv'), [CENSUS_HEADER, ...census.map(censusLine)].join('\n') + '\n');
      return (await renderFigures(temporary, run.scenario, srnn.registry)).map((file) => join(shownSoFar, relative(temporary, file)));
    },
    { kind: 'run' },
  );
  const checkpoint = run.index ? `checkpoint after ${run.index.cursor} ${run.index.unit}` : 'no checkpoint yet';
  const last = census.at(-1);
  const upTo = last ? `census up to step ${last.step}` : 'no census yet';
  return `${shown}: unfinished run (${checkpoint}; ${upTo}): what it has so far is drawn in ${shownSoFar}\n${files.join('\n')}${files.length > 0 ? '\n' : ''}`;
}
