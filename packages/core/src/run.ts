import { defer, finalize, Subject, type Observable } from 'rxjs';
import { Classifier, countClasses, type Census } from './classification';
import { ofKind, type PopulationSnapshot, type RunEvent, type RunEventKind, type RunEventKinds, type RunEventOf, type RunInfo } from './events';
import type { ExperimentContext } from './experiment';
import type { RunCheckpoints } from './checkpoint';
import { InitError, initializePopulation } from './init-population';
import { Population } from './population';
import { RandomStreams } from './random';
import type { FigureFailureHandler } from './figure';
import type { PluginRegistry } from './registry';
import { startIssues } from './run-checks';
import { pluginOptions } from './plugin-options';
import { issueDetail } from './scenario-issue';
import type { ResolvedScenario } from './scenario/schema';
import type { ScenarioSource } from './scenario/scenario-source';
import { SRNN_VERSION } from './version';

export interface RunResult {
  readonly info: RunInfo;
  readonly census: Census;
  readonly population: PopulationSnapshot;
  readonly elapsedMs: number;
}

const YIELD_EVERY_MS = 50;

/** What executes a run of its own elsewhere, e.g. in a worker thread (the executors of @srnn/runner). */
export type RunElsewhere = {
  executeRun(scenario: ResolvedScenario, dir: string, options: { signal?: AbortSignal; onEvent?: (event: RunEvent) => void; onFigureFailure?: FigureFailureHandler }): Promise<RunResult>;
};

/**
 * One execution of a resolved scenario. Subscribe to `events$` (every event) or `select(…kinds)`
 * before `execute()`; the streams complete when the run ends (after `run-finished` or
 * `run-failed`). Detail events are produced only for kinds somebody subscribed to (`wants`).
 */
export class Run {
  private readonly subject = new Subject<RunEvent>();
  /** Subscribers per kind they asked for; `all` counts those of every kind (`events$`). */
  private readonly interest = new Map<RunEventKind | 'all', number>();
  /** Every event of the run; subscribing asks for every kind, detail included. */
  readonly events$: Observable<RunEvent> = this.eventsOf('all');
  private readonly abort = new AbortController();
  private checkpoints: RunCheckpoints | undefined;
  /** While paused: what `resume()` resolves. */
  private held: { promise: Promise<void>; release: () => void } | undefined;
  private stopping = false;

  constructor(
    readonly scenario: ResolvedScenario,
    private readonly registry: PluginRegistry,
    /** The scenario file the run comes from, when it has one. */
    readonly source?: ScenarioSource,
  ) {}

  /** The run's events of these kinds, typed; subscribing asks for them (detail included) while subscribed. */
  select<K extends RunEventKind>(...kinds: readonly K[]): Observable<RunEventOf<K>> {
    return this.eventsOf(kinds).pipe(ofKind(...kinds));
  }

  /** The events a sink or subscriber declared (`kinds`), asked for while subscribed; `all`: as `events$`. */
  eventsOf(kinds: RunEventKinds): Observable<RunEvent> {
    const keys = kinds === 'all' ? (['all'] as const) : kinds;
    const count = (by: number) => {
      for (const key of keys) this.interest.set(key, (this.interest.get(key) ?? 0) + by);
    };
    return defer(() => {
      count(1);
      return this.subject.pipe(finalize(() => count(-1)));
    });
  }

  /** True when somebody subscribed to events of `kind` (or to all): detail of that kind is worth producing. */
  wants(kind: RunEventKind): boolean {
    return (this.interest.get('all') ?? 0) > 0 || (this.interest.get(kind) ?? 0) > 0;
  }

  /** Saves checkpoints while the run executes, and continues from `checkpoints.resume` (for an experiment with a `checkpointUnit`). */
  useCheckpoints(checkpoints: RunCheckpoints): void {
    this.checkpoints = checkpoints;
  }

  /** Asks a running experiment to stop at its next progress report; `execute()` then rejects. */
  cancel(reason = 'run cancelled'): void {
    this.abort.abort(new Error(reason));
    this.resume();
  }

  /** Holds an in-process run (`execute()`) at its next progress report until `resume()`; this thread stays free meanwhile. */
  pause(): void {
    if (this.held) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
  }

  resume(): void {
    this.held?.release();
    this.held = undefined;
  }

  /** Ends an in-process run early at its next progress report: it finishes as it is then (`run-finished` with `stopped`). */
  stop(): void {
    this.stopping = true;
    this.resume();
  }

  async execute(): Promise<RunResult> {
    const started = performance.now();
    try {
      const result = await this.executeInner(started);
      this.subject.complete();
      return result;
    } catch (error) {
      throw this.failed(error);
    }
  }

  /**
   * Executes the run through `executor` — in a worker thread of a pool, which keeps this thread
   * free (e.g. to handle signals) — its results files and figures written into `dir` as
   * `writeRunResults` writes them here. `events$` sees the run-started, census and progress
   * events (from a worker at most every 100 ms), then `run-finished` or `run-failed`.
   */
  async executeIn(executor: RunElsewhere, dir: string, onFigureFailure?: FigureFailureHandler): Promise<RunResult> {
    try {
      const result = await executor.executeRun(this.scenario, dir, { signal: this.abort.signal, onEvent: (event) => this.subject.next(event), onFigureFailure });
      this.subject.next({ kind: 'run-finished', census: result.census, elapsedMs: result.elapsedMs, population: result.population });
      this.subject.complete();
      return result;
    } catch (error) {
      throw this.failed(error);
    }
  }

  /** Ends the event stream with the error (an InitError located in the scenario file); returns what to throw. */
  private failed(error: unknown): unknown {
    const located = error instanceof InitError && this.source ? this.source.errorAt(error.path, `${error.path.join('.')}: ${error.message}`) : error;
    this.subject.next({ kind: 'run-failed', error: located as Error });
    this.subject.complete();
    return located;
  }

  private async executeInner(started: number): Promise<RunResult> {
    const { scenario, registry } = this;
    const architecture = registry.architecture(scenario.architecture.type);
    const experiment = registry.experiment(scenario.experiment.type);
    const network = architecture.build(pluginOptions(architecture, scenario.architecture));
    const backend = registry.backend(scenario.backend ?? registry.defaultBackend(network));
    const options = pluginOptions(experiment, scenario.experiment);
    const [issue] = startIssues(scenario, network, registry, options);
    // without the scenario's text (e.g. in a worker thread) an InitError: the caller holding the text locates it
    if (issue) throw this.source ? this.source.errorAt(issue.path, issueDetail(issue)) : new InitError(issue.path, issue.message);
    await backend.init();
    const random = new RandomStreams(scenario.seed);
    const population = new Population(scenario.population.size, network.weightCount);
    const checkpoints = experiment.checkpointUnit === undefined ? undefined : this.checkpoints;
    const resume = checkpoints?.resume;
    if (!resume) initializePopulation(population, network, scenario.population.init, random.stream('init'), this.source?.file);
    const kernels = registry.kernelsFor(network, backend, random.stream('kernels'));
    if (resume) {
      population.restore(resume.state.population);
      random.restore(resume.state.random);
    }
    try {
      const classifier = new Classifier(kernels, network.weightCount, scenario.classify);
      const everyone = { data: population.weights, index: population.all() };
      const classes = new Uint8Array(population.size);
      const info: RunInfo = {
        scenario: { ...scenario, backend: backend.name },
        srnnVersion: SRNN_VERSION,
        backend: backend.describe(),
        weightCount: network.weightCount,
        totalWork: experiment.totalWork(options, population.size),
      };
      this.subject.next({ kind: 'run-started', info });
      for (const event of resume?.events ?? []) this.subject.next(event);

      let lastYield = performance.now();
      let lastStep = resume?.state.lastStep ?? 0;
      let stopped: { done: number; total: number } | undefined;
      const context: ExperimentContext = {
        scenario,
        population,
        network,
        kernels,
        random,
        wants: (kind) => this.wants(kind),
        restored: resume?.state.experiment,
        checkpoint: (cursor, state) => {
          if (!checkpoints || cursor % checkpoints.every !== 0) return;
          const { weights, uid, birthStep, parentUid } = population;
          const run = { cursor, lastStep, population: { weights, uid, birthStep, parentUid, nextUid: population.uidsIssued }, random: random.state() };
          return checkpoints.save({ ...run, experiment: state() });
        },
        emit: (event) => this.subject.next(event),
        classify: (batch, out) => classifier.classify(batch, out),
        census: (step, extra) => {
          lastStep = step;
          classifier.classify(everyone, classes);
          const census = countClasses(classes);
          this.subject.next({ kind: 'census', step, census, ...extra });
          if (this.wants('classified')) {
            this.subject.next({ kind: 'classified', step, uids: population.uid.slice(), classes: classes.slice() });
          }
          return census;
        },
        progress: async (done, total) => {
          this.subject.next({ kind: 'progress', done, total });
          while (this.held) await this.held.promise;
          if (this.stopping) throw (stopped = { done, total });
          if (performance.now() - lastYield < YIELD_EVERY_MS) return;
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
          if (this.abort.signal.aborted) throw this.abort.signal.reason;
        },
      };

      await experiment.run(context, options).catch((error: unknown) => {
        if (error !== stopped || !stopped) throw error;
      });
      if (this.abort.signal.aborted) throw this.abort.signal.reason;

      classifier.classify(everyone, classes);
      const census = countClasses(classes);
      const snapshot: PopulationSnapshot = {
        step: lastStep,
        weightCount: network.weightCount,
        weights: population.weights.slice(),
        uids: population.uid.slice(),
        parentUids: population.parentUid.slice(),
        birthSteps: population.birthStep.slice(),
        classes,
      };
      const elapsedMs = performance.now() - started;
      this.subject.next({ kind: 'run-finished', census, elapsedMs, population: snapshot, ...(stopped && { stopped }) });
      return { info, census, population: snapshot, elapsedMs };
    } finally {
      kernels.dispose();
    }
  }
}
