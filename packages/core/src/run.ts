import { Subject, type Observable } from 'rxjs';
import { Classifier, countClasses, type Census } from './classification';
import type { RunEvent, RunInfo, PopulationSnapshot } from './events';
import type { ExperimentContext } from './experiment';
import { InitError, initializePopulation } from './init-population';
import { Population } from './population';
import { RandomStreams } from './random';
import type { RunExecutor } from './pool/run-executor';
import type { PluginRegistry } from './registry';
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

/**
 * One execution of a resolved scenario. Subscribe to `events$` before `execute()`; the stream
 * completes when the run ends (after `run-finished` or `run-failed`).
 */
export class Run {
  private readonly subject = new Subject<RunEvent>();
  readonly events$: Observable<RunEvent> = this.subject.asObservable();
  private readonly abort = new AbortController();

  constructor(
    readonly scenario: ResolvedScenario,
    private readonly registry: PluginRegistry,
    private readonly source?: ScenarioSource,
  ) {}

  /** Asks a running experiment to stop at its next progress report; `execute()` then rejects. */
  cancel(reason = 'run cancelled'): void {
    this.abort.abort(new Error(reason));
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
  async executeIn(executor: RunExecutor, dir: string): Promise<RunResult> {
    try {
      const result = await executor.executeRun(this.scenario, dir, { signal: this.abort.signal, onEvent: (event) => this.subject.next(event) });
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
    const backend = registry.backend(scenario.backend);
    const architecture = registry.architecture(scenario.architecture.type);
    const experiment = registry.experiment(scenario.experiment.type);
    await backend.init();
    const network = architecture.build(scenario.architecture);
    const random = new RandomStreams(scenario.seed);
    const population = new Population(scenario.population.size, network.weightCount);
    initializePopulation(population, network, scenario.population.init, random.stream('init'), this.source?.file);
    const kernels = network.createKernels(backend, random.stream('kernels'));
    try {
      const classifier = new Classifier(kernels, network.weightCount, scenario.classify);
      const everyone = { data: population.weights, index: population.all() };
      const classes = new Uint8Array(population.size);
      const info: RunInfo = {
        scenario,
        srnnVersion: SRNN_VERSION,
        backend: backend.describe(),
        weightCount: network.weightCount,
        totalWork: experiment.totalWork(scenario.experiment, population.size),
      };
      this.subject.next({ kind: 'run-started', info });

      const subject = this.subject;
      let lastYield = performance.now();
      let lastStep = 0;
      const context: ExperimentContext = {
        scenario,
        population,
        network,
        kernels,
        random,
        get observed() {
          return subject.observed;
        },
        emit: (event) => this.subject.next(event),
        classify: (batch, out) => classifier.classify(batch, out),
        census: (step, extra) => {
          lastStep = step;
          classifier.classify(everyone, classes);
          const census = countClasses(classes);
          this.subject.next({ kind: 'census', step, census, ...extra });
          if (this.subject.observed) {
            this.subject.next({ kind: 'classified', step, uids: population.uid.slice(), classes: classes.slice() });
          }
          return census;
        },
        progress: async (done, total) => {
          this.subject.next({ kind: 'progress', done, total });
          if (performance.now() - lastYield < YIELD_EVERY_MS) return;
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
          if (this.abort.signal.aborted) throw this.abort.signal.reason;
        },
      };

      await experiment.run(context, scenario.experiment);
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
      this.subject.next({ kind: 'run-finished', census, elapsedMs, population: snapshot });
      return { info, census, population: snapshot, elapsedMs };
    } finally {
      kernels.dispose();
    }
  }
}
