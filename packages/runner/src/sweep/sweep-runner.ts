import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { Subject, type Observable } from 'rxjs';
import { stringify } from 'yaml';
import { SRNN_VERSION, type PluginRegistry, type ResolvedScenario } from '@srnn/core';
import { intoResultsDirectory } from '../results/results-directory';
import { writeFileAtomic } from '../results/atomic-file';
import { InProcessExecutor, type RunExecutor } from '../pool/run-executor';
import type { SweepRunOutcome } from '../pool/execute-run';
import type { SweepPlan, SweepRunSpec } from './expand-sweep';
import { SweepProgress } from './sweep-checkpoints';
import { runColumns, runRecords, summarizeRuns, summaryColumns, summaryRecords, toCsv, type SweepRunRow, type SweepSummaryRow } from './sweep-tables';

/** A run as sweep events name it. */
export interface SweepRunRef {
  readonly index: number;
  readonly id: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly replicate: number;
  readonly seed: number;
}

/** Everything a sweep reports; `done` counts finished runs, `total` all runs of the sweep. */
export type SweepEvent =
  | { readonly kind: 'sweep-started'; readonly base: ResolvedScenario; readonly keys: readonly string[]; readonly combinations: number; readonly replicates: number; readonly total: number }
  | { readonly kind: 'sweep-run-started'; readonly run: SweepRunRef; readonly done: number; readonly total: number }
  /** The current run's own progress (its `progress` events); only produced when somebody subscribes. */
  | { readonly kind: 'sweep-progress'; readonly run: SweepRunRef; readonly done: number; readonly total: number; readonly runDone: number; readonly runTotal: number }
  | { readonly kind: 'sweep-run-finished'; readonly run: SweepRunRef; readonly row: SweepRunRow; readonly done: number; readonly total: number }
  | { readonly kind: 'sweep-finished'; readonly rows: readonly SweepRunRow[]; readonly summary: readonly SweepSummaryRow[]; readonly elapsedMs: number }
  | { readonly kind: 'sweep-failed'; readonly error: Error };

export interface SweepResult {
  readonly plan: SweepPlan;
  /** One row per run, in run order. */
  readonly rows: readonly SweepRunRow[];
  /** One row per combination, in combination order. */
  readonly summary: readonly SweepSummaryRow[];
  readonly elapsedMs: number;
}

/**
 * The runs of a sweep plan, executed by a RunExecutor: one after another in this process with one
 * registry (the default), or in a pool of worker threads (`Srnn.createPool`). Runs may finish in
 * any order; rows, tables and `sweep-finished` are in plan order, so the results do not depend on
 * the executor. Subscribe to `events$` before `execute()`; it completes when the sweep ends.
 */
export class Sweep {
  private readonly subject = new Subject<SweepEvent>();
  readonly events$: Observable<SweepEvent> = this.subject.asObservable();
  private readonly abort = new AbortController();

  constructor(
    readonly plan: SweepPlan,
    readonly registry: PluginRegistry,
    /** Runs the runs; default: in this process, one after another. */
    readonly executor: RunExecutor = new InProcessExecutor(registry),
    /** The scenario file the sweep comes from, when it has one (a results directory must not hold it). */
    readonly scenarioFile?: string,
  ) {
    // every queued run listens for the sweep's cancellation
    setMaxListeners(0, this.abort.signal);
  }

  /**
   * Stops the running runs at their next progress report and starts no further one; `execute()`
   * then rejects, once every started run has stopped.
   */
  cancel(reason = 'sweep cancelled'): void {
    this.abort.abort(new Error(reason));
  }

  /**
   * Runs every run of the plan. With `dir`, each run's results go to `dir/runs/<run id>/` and the
   * sweep's files (scenario.resolved.yaml, runs.csv/json, summary.csv/json) to `dir` — not
   * atomically: see `runSweepIntoDirectory`. With `progress` (a sweep that can be resumed) the runs
   * save checkpoints, each finished run is recorded, and the runs recorded as finished are kept.
   */
  async execute(dir?: string, progress?: SweepProgress): Promise<SweepResult> {
    try {
      const result = await this.executeInner(dir, progress);
      this.subject.complete();
      return result;
    } catch (error) {
      this.subject.next({ kind: 'sweep-failed', error: error as Error });
      this.subject.complete();
      throw error;
    }
  }

  private async executeInner(dir?: string, progress?: SweepProgress): Promise<SweepResult> {
    const started = performance.now();
    const { plan, subject } = this;
    const total = plan.runs.length;
    subject.next({ kind: 'sweep-started', base: plan.base, keys: plan.keys, combinations: plan.combinations.length, replicates: plan.replicates, total });
    const rows: SweepRunRow[] = new Array(total);
    const backends: string[] = new Array(total);
    let done = 0;
    let failure: { error: unknown } | undefined;
    const signal = this.abort.signal;

    const execute = async (spec: SweepRunSpec) => {
      const run = refOf(spec);
      const runDir = dir === undefined ? undefined : join(dir, 'runs', spec.id);
      const kept = progress?.finished.get(spec.id);
      if (runDir && progress && !kept) progress.prepareRun(runDir);
      const outcome =
        kept ??
        (await this.executor.execute(spec.scenario, {
          dir: runDir,
          checkpoints: progress !== undefined,
          signal,
          onStarted: () => subject.next({ kind: 'sweep-run-started', run, done, total }),
          onProgress: (runDone, runTotal) => {
            if (subject.observed) subject.next({ kind: 'sweep-progress', run, done, total, runDone, runTotal });
          },
        }));
      if (kept) subject.next({ kind: 'sweep-run-started', run, done, total });
      else progress?.runFinished(spec.id, outcome);
      backends[spec.index] = outcome.backend;
      const row = sweepRunRow(spec, outcome);
      rows[spec.index] = row;
      done++;
      subject.next({ kind: 'sweep-run-finished', run, row, done, total });
    };
    // every run is queued at once; the first failure cancels the others, and the sweep settles
    // only once every run has stopped (so that nothing writes into `dir` afterwards)
    await Promise.all(
      plan.runs.map((spec) =>
        execute(spec).catch((error: unknown) => {
          if (!failure && !signal.aborted) {
            failure = { error };
            this.abort.abort(error);
          }
        }),
      ),
    );
    if (failure) throw failure.error;
    if (signal.aborted) throw signal.reason;

    const summary = summarizeRuns(rows);
    // the engine of the base scenario's backend; without one (each run on its network's default), every engine that ran
    const backend = plan.base.backend === undefined ? undefined : plan.runs.find((spec) => spec.scenario.backend === plan.base.backend);
    if (dir !== undefined) writeSweepFiles(dir, plan, rows, summary, (backend && backends[backend.index]) ?? plan.base.backend ?? [...new Set(backends)].join('; '));
    const elapsedMs = performance.now() - started;
    subject.next({ kind: 'sweep-finished', rows, summary, elapsedMs });
    return { plan, rows, summary, elapsedMs };
  }
}

/** The row of the sweep's tables (runs.csv, runs.json) of a finished run. */
export function sweepRunRow(spec: SweepRunSpec, outcome: SweepRunOutcome): SweepRunRow {
  return {
    run: spec.id,
    combination: spec.combination,
    values: spec.values,
    replicate: spec.replicate,
    seed: spec.seed,
    census: outcome.census,
    populationSize: outcome.populationSize,
    meanLoss: outcome.meanLoss,
    elapsedMs: Math.round(outcome.elapsedMs),
  };
}

/** True when a sweep can be resumed: its scenario asks for checkpoints and its executor saves them (not a queue's). */
export function sweepHasCheckpoints(sweep: Sweep): boolean {
  return sweep.plan.base.checkpoint !== undefined && sweep.executor.checkpoints === true;
}

/**
 * Executes a sweep into a hidden temporary directory that replaces `outDir` as a whole once every
 * run, the sweep's tables and its figures are written; a failed or cancelled sweep leaves nothing
 * (the rules of `intoResultsDirectory`; a figure that fails is a warning).
 *
 * A sweep that can be resumed (`sweepHasCheckpoints`) writes into `<out>.partial/` instead, kept
 * when it fails or is killed after a run finished or saved a checkpoint; `resume` continues the
 * one there: the runs recorded as finished are kept, the others continue from their checkpoints.
 */
export function runSweepIntoDirectory(sweep: Sweep, outDir: string, options: { resume?: boolean } = {}): Promise<SweepResult> {
  const inputs = sweep.scenarioFile === undefined ? [] : [sweep.scenarioFile];
  const resumable = options.resume === true || sweepHasCheckpoints(sweep);
  return intoResultsDirectory(
    outDir,
    async (temporary, { onFigureFailure }) => {
      const progress = resumable ? new SweepProgress(temporary, sweep.plan, sweep.registry) : undefined;
      const result = await sweep.execute(temporary, progress);
      await sweep.executor.renderFigures(temporary, sweep.plan.base, { onFailure: onFigureFailure });
      progress?.finish();
      return result;
    },
    { kind: 'sweep', inputs, partial: options.resume ? 'resume' : resumable ? 'start' : undefined },
  );
}

function refOf(spec: SweepRunSpec): SweepRunRef {
  return { index: spec.index, id: spec.id, values: spec.values, replicate: spec.replicate, seed: spec.seed };
}

function writeSweepFiles(dir: string, plan: SweepPlan, rows: readonly SweepRunRow[], summary: readonly SweepSummaryRow[], backend: string): void {
  const header = `# resolved by srnn ${SRNN_VERSION}: a sweep of ${rows.length} runs; rerun with: srnn run scenario.resolved.yaml\n`;
  const body = stringify({ ...plan.base, srnn: { version: SRNN_VERSION, backend } }, { lineWidth: 0 });
  writeFileAtomic(join(dir, 'scenario.resolved.yaml'), header + body);
  const runs = runRecords(plan.keys, rows);
  writeFileAtomic(join(dir, 'runs.csv'), toCsv(runColumns(plan.keys), runs));
  writeFileAtomic(join(dir, 'runs.json'), JSON.stringify(runs, null, 2) + '\n');
  const combinations = summaryRecords(plan.keys, summary);
  writeFileAtomic(join(dir, 'summary.csv'), toCsv(summaryColumns(plan.keys), combinations));
  writeFileAtomic(join(dir, 'summary.json'), JSON.stringify(combinations, null, 2) + '\n');
}
