import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Subject, type Observable } from 'rxjs';
import type { ResolvedScenario } from '@srnn/core';
import { defaultWorkers, intoResultsDirectory, isSweep, Sweep, type FigureFailureHandler, type RunExecutor, type Srnn, type SweepResult, type SweepRunOutcome } from '@srnn/runner';
import type { ExperimentResult, PaperExperiment, PaperResult } from './paper-result';
import { compareSections, defaultScenariosDir, listPaperScenarios, selectPaperScenarios } from './paper-scenarios';
import { writeReport } from './write-report';

export interface PaperOptions {
  /** The results directory: report.md, report.html and one results directory per experiment. */
  readonly out: string;
  /** Directory of the scenarios (default: scenarios/paper). */
  readonly scenarios?: string;
  /** Names of the scenarios to run (file names without extension); all without it. */
  readonly only?: readonly string[];
  /** Apply each scenario's `quick:` overrides: a small, seeded version of the paper. */
  readonly quick?: boolean;
  /** Every run on this backend (e.g. `js` for the golden logs); without it each scenario's, else the default for its network. */
  readonly backend?: string;
  /** Worker threads (default: one per core); ignored when `executor` is given. */
  readonly workers?: number;
  /** Runs the runs (the caller keeps it open); default: a pool of `workers` made and closed here. */
  readonly executor?: RunExecutor;
  /** Load the plugin modules a scenario's `plugins:` names (Srnn.loadScenario's `allowPlugins`). */
  readonly allowPlugins?: boolean;
}

/** Everything `srnn paper` reports while it runs; `done` and `total` count runs over all experiments. */
export type PaperEvent =
  | { readonly kind: 'paper-started'; readonly experiments: readonly { readonly name: string; readonly runs: number }[]; readonly total: number; readonly workers: number; readonly quick: boolean }
  | { readonly kind: 'paper-run-started'; readonly experiment: string; readonly run: string; readonly done: number; readonly total: number }
  /** A running run's progress (`fraction` of it done); only produced when somebody subscribes. */
  | { readonly kind: 'paper-progress'; readonly experiment: string; readonly run: string; readonly fraction: number; readonly done: number; readonly total: number }
  | { readonly kind: 'paper-run-finished'; readonly experiment: string; readonly run: string; readonly done: number; readonly total: number }
  | { readonly kind: 'paper-experiment-finished'; readonly experiment: string; readonly runs: number; readonly wallMs: number }
  | { readonly kind: 'paper-finished'; readonly result: PaperResult }
  | { readonly kind: 'paper-failed'; readonly error: Error };

/**
 * The paper's experiments — every scenario of the paper directory — run as one job: all runs of
 * all experiments go through one executor (a pool of worker threads), each experiment's results
 * into DIR/<name>/ (tables in plan order, figures), then report.md and report.html into DIR.
 * DIR appears only complete; a failure or a cancel leaves nothing (the first failing run cancels
 * the others), a figure that fails is a warning. DIR follows the rules of `intoResultsDirectory`.
 */
export class PaperRun {
  private readonly subject = new Subject<PaperEvent>();
  readonly events$: Observable<PaperEvent> = this.subject.asObservable();
  private readonly abort = new AbortController();

  private constructor(
    private readonly srnn: Srnn,
    readonly experiments: readonly PaperExperiment[],
    private readonly options: PaperOptions,
    private readonly executor: RunExecutor,
  ) {
    setMaxListeners(0, this.abort.signal);
  }

  /**
   * Loads, validates and plans the chosen scenarios (nothing runs yet); a bad scenario is a
   * ScenarioError, an unknown `only` name a PaperUsageError. Experiments are ordered by their
   * `paper.section`, then by name. Without `options.executor` the pool of workers is started
   * here, so that the workers get ready while the scenarios are planned; `execute()` (or
   * `close()`) stops it.
   */
  static async plan(srnn: Srnn, options: PaperOptions): Promise<PaperRun> {
    const files = selectPaperScenarios(listPaperScenarios(options.scenarios ?? defaultScenariosDir()), options.only);
    const executor = options.executor ?? srnn.createPool({ workers: options.workers ?? defaultWorkers() });
    try {
      const experiments: PaperExperiment[] = [];
      for (const { name, file } of files) {
        const loaded = await srnn.loadScenario(file, { allowPlugins: options.allowPlugins });
        const quick = !options.quick ? 'off' : loaded.scenario.quick && Object.keys(loaded.scenario.quick).length > 0 ? 'applied' : 'none';
        const plan = srnn.createSweep(loaded, { quick: quick === 'applied', backend: options.backend }).plan;
        experiments.push({ name, file, loaded, plan, sweep: isSweep(plan.base), quick });
      }
      experiments.sort((a, b) => compareSections(a.plan.base.paper?.section, b.plan.base.paper?.section) || a.name.localeCompare(b.name));
      return new PaperRun(srnn, experiments, options, executor);
    } catch (error) {
      if (!options.executor) await executor.close();
      throw error;
    }
  }

  /** Stops the pool of workers this run started (execute() does so itself). */
  async close(): Promise<void> {
    if (!this.options.executor) await this.executor.close();
  }

  /** Runs still running stop at their next progress report; `execute()` then rejects and leaves nothing. */
  cancel(reason = 'paper cancelled'): void {
    this.abort.abort(new Error(reason));
  }

  async execute(): Promise<PaperResult> {
    const { executor } = this;
    try {
      const inputs = this.experiments.map((experiment) => experiment.file);
      const result = await intoResultsDirectory(this.options.out, (temporary, { onFigureFailure }) => this.executeInto(temporary, executor, onFigureFailure), { kind: 'paper', inputs });
      this.subject.next({ kind: 'paper-finished', result });
      this.subject.complete();
      return result;
    } catch (error) {
      this.subject.next({ kind: 'paper-failed', error: error as Error });
      this.subject.complete();
      throw error;
    } finally {
      await this.close();
    }
  }

  private async executeInto(dir: string, executor: RunExecutor, onFigureFailure: FigureFailureHandler): Promise<PaperResult> {
    const started = performance.now();
    const total = this.experiments.reduce((n, e) => n + e.plan.runs.length, 0);
    const quick = this.options.quick ?? false;
    this.subject.next({
      kind: 'paper-started',
      experiments: this.experiments.map((e) => ({ name: e.name, runs: e.plan.runs.length })),
      total,
      workers: executor.workers,
      quick,
    });
    const progress = { done: 0, total };
    let failure: { error: unknown } | undefined;
    // Queue order: single-run experiments first — indivisible and usually the longest runs — then
    // the sweeps, whose many small runs fill the workers up to the end (results keep report order).
    const launched = [...this.experiments].sort((a, b) => Number(a.sweep) - Number(b.sweep));
    const settled = await Promise.all(
      launched.map((experiment) =>
        this.runExperiment(experiment, join(dir, experiment.name), executor, progress, onFigureFailure).catch((error: unknown) => {
          if (!failure && !this.abort.signal.aborted) {
            failure = { error };
            this.abort.abort(error);
          }
          return undefined;
        }),
      ),
    );
    if (failure) throw failure.error;
    if (this.abort.signal.aborted) throw this.abort.signal.reason;
    const results = this.experiments.map((experiment) => settled[launched.indexOf(experiment)]!);
    const result: PaperResult = {
      out: this.options.out,
      quick,
      workers: executor.workers,
      experiments: results,
      wallMs: performance.now() - started,
    };
    writeReport(dir, result);
    return result;
  }

  private async runExperiment(
    experiment: PaperExperiment,
    dir: string,
    executor: RunExecutor,
    progress: { done: number; total: number },
    onFigureFailure: FigureFailureHandler,
  ): Promise<ExperimentResult> {
    const { registry } = this.srnn;
    const signal = this.abort.signal;
    if (signal.aborted) throw signal.reason;
    mkdirSync(dir, { recursive: true });
    let firstStart: number | undefined;
    const name = experiment.name;
    const started = (run: string) => {
      firstStart ??= performance.now();
      this.subject.next({ kind: 'paper-run-started', experiment: name, run, done: progress.done, total: progress.total });
    };
    const advanced = (run: string, fraction: number) => {
      if (this.subject.observed) this.subject.next({ kind: 'paper-progress', experiment: name, run, fraction, done: progress.done, total: progress.total });
    };
    const finished = (run: string) => {
      progress.done++;
      this.subject.next({ kind: 'paper-run-finished', experiment: name, run, done: progress.done, total: progress.total });
    };

    let sweepResult: SweepResult | undefined;
    let runOutcome: SweepRunOutcome | undefined;
    let scenario: ResolvedScenario;
    if (experiment.sweep) {
      const sweep = new Sweep(experiment.plan, registry, executor);
      const cancel = () => sweep.cancel(signal.reason instanceof Error ? signal.reason.message : String(signal.reason));
      signal.addEventListener('abort', cancel, { once: true });
      sweep.events$.subscribe((event) => {
        if (event.kind === 'sweep-run-started') started(event.run.id);
        else if (event.kind === 'sweep-progress') advanced(event.run.id, event.runDone / Math.max(event.runTotal, 1));
        else if (event.kind === 'sweep-run-finished') finished(event.run.id);
      });
      try {
        sweepResult = await sweep.execute(dir);
      } finally {
        signal.removeEventListener('abort', cancel);
      }
      scenario = experiment.plan.base;
    } else {
      const [spec] = experiment.plan.runs;
      runOutcome = await executor.execute(spec.scenario, {
        dir,
        signal,
        onStarted: () => started(spec.id),
        onProgress: (done, total) => advanced(spec.id, done / Math.max(total, 1)),
      });
      finished(spec.id);
      scenario = spec.scenario;
    }
    // drawn by a worker too (ahead of queued runs): some figures cost more than their runs
    const figures = (await executor.renderFigures(dir, scenario, { signal, onFailure: onFigureFailure })).map((file) => relative(dir, file));
    const wallMs = performance.now() - (firstStart ?? performance.now());
    const computeMs = sweepResult ? sweepResult.rows.reduce((sum, row) => sum + row.elapsedMs, 0) : runOutcome!.elapsedMs;
    this.subject.next({ kind: 'paper-experiment-finished', experiment: name, runs: experiment.plan.runs.length, wallMs });
    return { experiment, scenario, sweep: sweepResult, run: runOutcome, figures, wallMs, computeMs };
  }
}
