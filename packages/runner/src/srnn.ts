import 'reflect-metadata';
import { dirname, resolve } from 'node:path';
import { Container, type ContainerModule } from 'inversify';
import {
  coreModule,
  PluginRegistry,
  pluginOptions,
  readScenarioSource,
  resolveScenario,
  Run,
  ScenarioSource,
  withAbsolutePaths,
  type LoadedScenario,
  type ResolvedScenario,
  type RunResult,
} from '@srnn/core';
import { checkpointEvery } from '@srnn/checkpoint';
import { discoverInstalledPlugins } from './plugin-discovery';
import { loadPluginModule, type PluginModuleRef } from './plugin-loader';
import { realPathOf, scenarioPluginsToLoad, type ScenarioPluginOptions } from './scenario-plugins';
import { InProcessExecutor, type RunExecutor } from './pool/run-executor';
import { defaultWorkers, WorkerPoolExecutor, type WorkerPoolOptions } from './pool/worker-pool';
import { resultsModule } from './results-module';
import { intoResultsDirectory, runIntoDirectory } from './results/results-directory';
import { expandSweep, planScenario, type PlannedScenario, type SweepOverrides } from './sweep/expand-sweep';
import { runSweepIntoDirectory, Sweep, type SweepResult } from './sweep/sweep-runner';
import { recordedSweepPlan } from './sweep/sweep-checkpoints';
import { OutputDirectoryError } from './results/results-target';
import { partialPath } from './results/partial-directory';

/** The default backend of a scenario's network; undefined when it cannot be built (the run then says why). */
function defaultBackendOf(scenario: ResolvedScenario, registry: PluginRegistry): string | undefined {
  try {
    const architecture = registry.architecture(scenario.architecture.type);
    return registry.defaultBackend(architecture.build(pluginOptions(architecture, scenario.architecture)));
  } catch {
    return undefined;
  }
}

export interface SrnnOptions {
  /**
   * Load the installed packages that declare themselves srnn plugins (default true): those srnn
   * depends on and those the project installing srnn declares (discoverInstalledPlugins).
   */
  readonly discover?: boolean;
  /** Extra plugin modules, e.g. a plugin under development. */
  readonly modules?: readonly ContainerModule[];
}

export interface RunOverrides {
  readonly seed?: number;
  readonly backend?: string;
  /** Apply the scenario's `quick:` overrides (a small, seeded version of it). */
  readonly quick?: boolean;
  /** Save a checkpoint every N units of the experiment (`checkpoint: { every: N }`). */
  readonly checkpointEvery?: number;
}

/**
 * The entry point: a DI container holding core, the results files and the plugins, which loads
 * scenarios and runs them — one run or a sweep, in this process or in a pool of worker threads.
 */
export class Srnn {
  private readonly loaded = new Map<string, PluginModuleRef>();

  private constructor(private readonly container: Container) {}

  static async create(options: SrnnOptions = {}): Promise<Srnn> {
    const srnn = new Srnn(new Container());
    await srnn.container.load(coreModule, resultsModule, ...(options.modules ?? []));
    srnn.hasModuleObjects = (options.modules ?? []).length > 0;
    if (options.discover ?? true) {
      // One broken installed package must not disable srnn: it is skipped, with a warning.
      for (const ref of discoverInstalledPlugins()) {
        try {
          await srnn.loadPlugins([ref]);
        } catch (error) {
          srnn.skipped.push({ ref, reason: (error as Error).message });
          process.emitWarning(`srnn: skipping installed plugin ${ref.name}: ${(error as Error).message}`);
        }
      }
    }
    return srnn;
  }

  /** True when plugin modules were passed as objects, which worker threads cannot load. */
  private hasModuleObjects = false;

  /** Installed plugins that could not be loaded, with the reason. */
  readonly skipped: { ref: PluginModuleRef; reason: string }[] = [];

  /**
   * The plugins registered so far. Built once per set of loaded plugins: building it constructs
   * every transient plugin (a soup composes its options schema from the interactions), which
   * costs more than a small run.
   */
  get registry(): PluginRegistry {
    this.cachedRegistry ??= this.container.get(PluginRegistry);
    return this.cachedRegistry;
  }

  private cachedRegistry: PluginRegistry | undefined;

  /** The plugin packages and files loaded so far. */
  get plugins(): PluginModuleRef[] {
    return [...this.loaded.values()];
  }

  /** Loads plugin modules the caller chose (e.g. the CLI's `--plugin FILE`), each once. */
  async loadPlugins(refs: readonly PluginModuleRef[]): Promise<void> {
    for (const ref of refs) {
      const key = realPathOf(ref.path) ?? ref.path;
      if (this.loaded.has(key)) continue;
      await this.container.load(loadPluginModule(ref));
      this.loaded.set(key, ref);
      this.cachedRegistry = undefined;
    }
  }

  /**
   * Reads, plugin-loads and validates a scenario file, and checks every run it asks for (and its
   * quick version) as a run checks itself before its first step — `srnn validate` is exactly this;
   * errors are ScenarioErrors with file:line:col. The modules its `plugins:` names are loaded only
   * with `{ allowPlugins: true }` (and only from inside its folder); without it such a scenario is
   * rejected unless they are loaded already.
   */
  async loadScenario(file: string, options: ScenarioPluginOptions = {}): Promise<PlannedScenario> {
    return this.loadSource(readScenarioSource(file), options);
  }

  /** The same for scenario text that does not live in a file (`file` only names it in errors). */
  async loadScenarioText(text: string, file = '<scenario>', options: ScenarioPluginOptions = {}): Promise<PlannedScenario> {
    return this.loadSource(ScenarioSource.parse(file, text), options);
  }

  /** The loaded module a path names (symbolic links resolved), if it is loaded. */
  private loadedPlugin(path: string): PluginModuleRef | undefined {
    return this.loaded.get(realPathOf(path) ?? path);
  }

  createRun(loaded: LoadedScenario, overrides: RunOverrides = {}): Run {
    const scenario: ResolvedScenario = { ...(overrides.quick ? this.quickScenario(loaded) : loaded.scenario) };
    if (overrides.seed !== undefined) scenario.seed = overrides.seed;
    if (overrides.backend !== undefined) scenario.backend = this.registry.backend(overrides.backend).name;
    // decided now (the default for its network when the scenario names none), so that checkpoints record what runs
    scenario.backend ??= defaultBackendOf(scenario, this.registry);
    if (overrides.checkpointEvery !== undefined) scenario.checkpoint = { every: overrides.checkpointEvery };
    return new Run(scenario, this.registry, loaded.source);
  }

  /**
   * Executes a run with the registered output sinks writing `outDir` atomically — in this thread,
   * or through `executor` (e.g. a pool with `threads: true`, whose worker thread then writes the
   * files; see `Run.executeIn`); `outDir` may only be missing, empty or a results directory srnn
   * wrote (`intoResultsDirectory`).
   */
  runIntoDirectory(run: Run, outDir: string, executor?: RunExecutor, options: { resume?: boolean } = {}): Promise<RunResult> {
    // a run with checkpoints writes into <out>.partial/; `resume` continues the one there
    const partial = options.resume ? 'resume' : checkpointEvery(run.scenario, this.registry) !== undefined ? 'start' : undefined;
    const inputs = run.source ? [run.source.file] : [];
    if (executor) {
      return intoResultsDirectory(outDir, (temporary, { onFigureFailure }) => run.executeIn(executor, temporary, onFigureFailure), { kind: 'run', inputs, partial });
    }
    return runIntoDirectory(run, outDir, this.registry.sinks, this.registry, { inputs, partial });
  }

  /** The scenario with its `quick:` overrides applied and validated (the scenario itself without them). */
  quickScenario(loaded: LoadedScenario): ResolvedScenario {
    if (!loaded.scenario.quick) return loaded.scenario;
    return (loaded as Partial<PlannedScenario>).quickPlan?.base ?? expandSweep(loaded, this.registry, { quick: true }).base;
  }

  /**
   * The runs a scenario's `sweep` and `replicates` ask for, every derived scenario validated (a bad
   * combination is a ScenarioError at its sweep entry); nothing runs yet. Runs derive from the
   * scenario as written (`loaded.source`), so that a swept `type` gets its own defaults; changes
   * to `loaded.scenario` are not seen — pass them as overrides, which change the base scenario
   * (`seed` is the base seed every run's seed derives from).
   */
  createSweep(loaded: LoadedScenario, overrides: SweepOverrides = {}, executor?: RunExecutor): Sweep {
    if (overrides.backend !== undefined) this.registry.backend(overrides.backend);
    return new Sweep(expandSweep(loaded, this.registry, overrides), this.registry, executor, loaded.source.file);
  }

  /**
   * Something to execute independent runs with: `workers` 1 runs them one after another in this
   * thread (unless `threads`); more run them in a pool of that many worker threads (default: one
   * per core), each with its own Srnn holding this Srnn's plugins (and a scenario's own `plugins:`
   * when a run names them — only modules this Srnn has loaded, else the run is rejected). Results
   * do not depend on the worker count or on threads. Close the pool when done with it: closing a
   * pool of threads stops them at once, whatever they do.
   *
   * `threads`: worker threads even for `workers: 1`, so that this thread stays free while runs
   * compute — the CLI handles signals there (a long kernel call blocks its thread's event loop).
   */
  createPool(options: { workers?: number; threads?: boolean } & WorkerPoolOptions = {}): RunExecutor {
    const workers = options.workers ?? defaultWorkers();
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers: expected a positive integer, got ${workers}`);
    if (workers === 1 && !options.threads) return new InProcessExecutor(this.registry);
    if (this.hasModuleObjects) {
      throw new Error('worker threads load plugins from files: an Srnn created with `modules` can only run with workers: 1 (or load them from files with loadPlugins)');
    }
    const pluginsOf = (scenario: ResolvedScenario) =>
      scenario.plugins.map((path) => {
        const ref = this.loadedPlugin(path);
        if (!ref)
          throw new Error(`plugins: ${path} was not loaded by this Srnn; a worker loads only the modules the main thread has loaded (loadScenario with { allowPlugins: true }, or loadPlugins)`);
        return ref;
      });
    return new WorkerPoolExecutor(workers, this.plugins, this.registry, options, pluginsOf);
  }

  /**
   * Executes a sweep with one Srnn (one process, one container): each run's results files under
   * `outDir/runs/<run id>/`, the sweep's scenario.resolved.yaml, runs.csv/json and summary.csv/json
   * in `outDir`, which appears only once all of it is written.
   */
  runSweepIntoDirectory(sweep: Sweep, outDir: string): Promise<SweepResult>;
  runSweepIntoDirectory(loaded: LoadedScenario, outDir: string, overrides?: SweepOverrides): Promise<SweepResult>;
  runSweepIntoDirectory(what: Sweep | LoadedScenario, outDir: string, overrides: SweepOverrides = {}): Promise<SweepResult> {
    const sweep = what instanceof Sweep ? what : this.createSweep(what, overrides);
    return runSweepIntoDirectory(sweep, outDir);
  }

  /**
   * The unfinished sweep in `<outDir>.partial/` (one with checkpoints that was interrupted), to be
   * continued with `resumeSweepIntoDirectory`: its recorded plan, executed by `executor`.
   */
  recordedSweep(outDir: string, executor?: RunExecutor): Sweep {
    const partial = partialPath(resolve(outDir));
    const recorded = recordedSweepPlan(partial);
    if (!recorded) throw new OutputDirectoryError(`nothing to resume: ${partial} has not recorded its sweep's plan yet; start it again with srnn run (after rm -r ${partial})`);
    return new Sweep(recorded.plan, this.registry, executor);
  }

  /**
   * Continues an unfinished sweep (`recordedSweep`) and finishes it into `outDir`: the runs it
   * recorded as finished are kept, the others continue from their checkpoints (or start again),
   * and its tables come out as an uninterrupted sweep's.
   */
  resumeSweepIntoDirectory(sweep: Sweep, outDir: string): Promise<SweepResult> {
    return runSweepIntoDirectory(sweep, outDir, { resume: true });
  }

  /**
   * Loads the modules a scenario's `plugins:` names, as loadScenario does: only with
   * `{ allowPlugins: true }` and from inside its folder (else a ScenarioError; none is executed).
   */
  async loadScenarioPlugins(source: ScenarioSource, options: ScenarioPluginOptions = {}): Promise<void> {
    for (const ref of scenarioPluginsToLoad(source, options, (real) => this.loaded.has(real))) {
      try {
        await this.loadPlugins([ref]);
      } catch (error) {
        throw source.errorAt(['plugins', ref.index], (error as Error).message);
      }
    }
  }

  private async loadSource(source: ScenarioSource, options: ScenarioPluginOptions): Promise<PlannedScenario> {
    const base = dirname(resolve(source.file));
    await this.loadScenarioPlugins(source, options);
    const loaded: LoadedScenario = { scenario: withAbsolutePaths(resolveScenario(source, this.registry), base), source };
    return planScenario(loaded, this.registry);
  }
}
