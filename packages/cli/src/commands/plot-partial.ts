import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { RunEventOf } from '@srnn/core';
import { CHECKPOINT_DIR, readLoggedEvents, readPartialRun, SWEEP_RECORD_DIR, SweepRecord } from '@srnn/checkpoint';
import {
  CENSUS_HEADER,
  censusLine,
  intoResultsDirectory,
  partialPath,
  readResultsMarker,
  renderFigures,
  runColumns,
  runRecords,
  sweepRunRow,
  toCsv,
  type Srnn,
  type SweepPlan,
  type SweepRunOutcome,
} from '@srnn/runner';
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
  const soFar = soFarPath(out);
  const shownSoFar = relative(process.cwd(), soFar) || soFar;
  if (readResultsMarker(partial)?.kind === 'sweep') return plotPartialSweep(srnn, shown, partial, soFar, shownSoFar);
  const run = readPartialRun(partial);
  if (!run) throw new UsageError(`${partial}: the unfinished run has not recorded its scenario yet; nothing to plot`);
  const census = loggedCensus(partial);
  const files = await intoResultsDirectory(
    soFar,
    async (temporary) => {
      writeCensus(temporary, census);
      return (await renderFigures(temporary, run.scenario, srnn.registry)).map((file) => join(shownSoFar, relative(temporary, file)));
    },
    { kind: 'run' },
  );
  const checkpoint = run.index ? `checkpoint after ${run.index.cursor} ${run.index.unit}` : 'no checkpoint yet';
  const last = census.at(-1);
  const upTo = last ? `census up to step ${last.step}` : 'no census yet';
  return `${shown}: unfinished run (${checkpoint}; ${upTo}): what it has so far is drawn in ${shownSoFar}\n${files.join('\n')}${files.length > 0 ? '\n' : ''}`;
}

function loggedCensus(partial: string): RunEventOf<'census'>[] {
  return readLoggedEvents(join(partial, CHECKPOINT_DIR), ['census']) as RunEventOf<'census'>[];
}

function writeCensus(dir: string, census: readonly RunEventOf<'census'>[]): void {
  writeFileSync(join(dir, 'census.csv'), [CENSUS_HEADER, ...census.map(censusLine)].join('\n') + '\n');
}

/**
 * An unfinished sweep: the runs.csv and runs.json of its finished runs, and each run that has
 * something (finished, or with a checkpoint) under `runs/<id>/` with its census so far; the
 * figures of each and of the sweep.
 */
async function plotPartialSweep(srnn: Srnn, shown: string, partial: string, soFar: string, shownSoFar: string): Promise<string> {
  const record = new SweepRecord(join(partial, SWEEP_RECORD_DIR));
  const plan = record.readPlan()?.plan as SweepPlan | undefined;
  if (!plan) throw new UsageError(`${partial}: the unfinished sweep has not recorded its plan yet; nothing to plot`);
  const finished = record.finished() as Map<string, SweepRunOutcome>;
  const files = await intoResultsDirectory(
    soFar,
    async (temporary) => {
      const written: string[] = [];
      for (const spec of plan.runs) {
        const from = join(partial, 'runs', spec.id);
        const to = join(temporary, 'runs', spec.id);
        if (finished.has(spec.id)) {
          mkdirSync(to, { recursive: true });
          if (existsSync(join(from, 'census.csv'))) copyFileSync(join(from, 'census.csv'), join(to, 'census.csv'));
        } else if (existsSync(join(from, CHECKPOINT_DIR, 'run.json'))) {
          mkdirSync(to, { recursive: true });
          writeCensus(to, loggedCensus(from));
        } else continue;
        written.push(...(await renderFigures(to, spec.scenario, srnn.registry)));
      }
      const rows = plan.runs.filter((spec) => finished.has(spec.id)).map((spec) => sweepRunRow(spec, finished.get(spec.id)!));
      const records = runRecords(plan.keys, rows);
      writeFileSync(join(temporary, 'runs.csv'), toCsv(runColumns(plan.keys), records));
      writeFileSync(join(temporary, 'runs.json'), JSON.stringify(records, null, 2) + '\n');
      written.push(...(await renderFigures(temporary, plan.base, srnn.registry)));
      return written.map((file) => join(shownSoFar, relative(temporary, file)));
    },
    { kind: 'sweep' },
  );
  return `${shown}: unfinished sweep (${finished.size} of ${plan.runs.length} runs finished): what it has so far is drawn in ${shownSoFar}\n${files.join('\n')}${files.length > 0 ? '\n' : ''}`;
}
