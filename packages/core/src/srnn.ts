import 'reflect-metadata';
import { dirname, resolve } from 'node:path';
import { Container, type ContainerModule } from 'inversify';
import { coreModule } from './core-module';
import { discoverInstalledPlugins, loadPluginModule, type PluginModuleRef } from './plugin-loader';
import { PluginRegistry } from './registry';
import { intoResultsDirectory, runIntoDirectory } from './results-directory';
import { Run, type RunResult } from './run';
import { pluginsOf, readScenarioSource, resolveScenario, type LoadedScenario } from './scenario/load-scenario';
import type { ResolvedScenario } from './scenario/schema';
import { ScenarioSource } from './scenario/scenario-source';
import { withAbsolutePaths } from './scenario/absolute-paths';
import { expandSweep, type SweepOverrides } from './sweep/expand-sweep';
import { runSweepIntoDirectory, Sweep, type SweepResult } from './sweep/sweep-runner';
import { InProcessExecutor, type RunExecutor } from './pool/run-executor';
import { defaultWorkers, WorkerPoolExecutor, type WorkerPoolOptions } from './pool/worker-pool';

export interface SrnnOptions {
  /** Load every installed package that declares itself an srnn plugin (default true). */
  readonly discover?: boolean;
  /** Extra plugin modules, e.g. a plugin under development. */
  readonly modules?: readonly ContainerModule[];
}

export interface RunOverrides {
  readonly seed?: number;
  readonly backend?: string;
  /** Apply the scenario's `quick:` overrides (a small, seeded version of it). */
  readonly quick?: boolean;
}

/** The entry point: a DI container holding core and the plugins, which loads scenarios and runs them. */
export class Srnn {
  private readonly loaded = new Map<string, PluginModuleRef>();

  private constructor(private readonly container: Container) {}

  static async create(options: SrnnOptions = {}): Promise<Srnn> {
    const srnn = new Srnn(new Container());
    await srnn.container.load(coreModule, ...(options.modules ?? []));
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

  async loadPlugins(refs: readonly PluginModuleRef[]): Promise<void> {
    for (const ref of refs) {
      if (this.loaded.has(ref.path)) continue;
      await this.container.load(loadPluginModule(ref));
      this.loaded.set(ref.path, ref);
      this.cachedRegistry = undefined;
    }
  }

  /** Reads, plugin-loads and validates a scenario file; errors are ScenarioErrors with file:line:col. */
  async loadScenario(file: string): Promise<LoadedScenario> {
    return this.loadSource(readScenarioSource(file));
  }

  /** The same for scenario text that does not live in a file (`file` only names it in errors). */
  async loadScenarioText(text: string, file = '<scenario>'): Promise<LoadedScenario> {
    return this.loadSource(ScenarioSource.parse(file, text));
  }

  createRun(loaded: LoadedScenario, overrides: RunOverrides = {}): Run {
    const scenario: ResolvedScenario = { ...(overrides.quick ? this.quickScenario(loaded) : loaded.scenario) };
    if (overrides.seed !== undefined) scenario.seed = overrides.seed;
    if (overrides.backend !== undefined) scenario.backend = this.registry.backend(overrides.backend).name;
    return new Run(scenario, this.registry, loaded.source);
  }

  /**
   * Executes a run with the registered output sinks writing `outDir` atomically — in this thread,
   * or through `executor` (e.g. a pool with `threads: true`, whose worker thread then writes the
   * files; see `Run.executeIn`).
   */
  runIntoDirectory(run: Run, outDir: string, executor?: RunExecutor): Promise<RunResult> {
    if (executor) return intoResultsDirectory(outDir, (temporary) => run.executeIn(executor, temporary));
    return runIntoDirectory(run, outDir, this.registry.sinks, this.registry);
  }

  /** The scenario with its `quick:` overrides applied and validated (the scenario itself without them). */
  quickScenario(loaded: LoadedScenario): ResolvedScenario {
    return loaded.scenario.quick ? expandSweep(loaded, this.registry, { quick: true }).base : loaded.scenario;
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
    return new Sweep(expandSweep(loaded, this.registry, overrides), this.registry, executor);
  }

  /**
   * Something to execute independent runs with: `workers` 1 runs them one after another in this
   * thread (unless `threads`); more run them in a pool of that many worker threads (default: one
   * per core), each with its own Srnn holding this Srnn's plugins (and a scenario's own `plugins:`
   * when a run names them). Results do not depend on the worker count or on threads. Close the
   * pool when done with it: closing a pool of threads stops them at once, whatever they do.
   *
   * `threads`: worker threads even for `workers: 1`, so that this thread stays free while runs
   * compute — the CLI handles signals there (a long kernel call blocks its thread's event loop).
   */
  createPool(options: { workers?: number; threads?: boolean } & WorkerPoolOptions = {}): RunExecutor {
    const workers = options.workers ?? defaultWorkers();
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers: expected a positive integer, got ${workers}`);
    if (workers === 1 && !options.threads) return new InProcessExecutor(this.registry);
    if (this.hasModuleObjects) {
      throw new Error('worker threads load plugins from files: an Srnn created with `modules` can only run with workers: 1 (or name the modules in a scenario\'s plugins:)');
    }
    return new WorkerPoolExecutor(workers, this.plugins, this.registry, options);
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

  private async loadSource(source: ScenarioSource): Promise<LoadedScenario> {
    const base = dirname(resolve(source.file));
    const refs = pluginsOf(source).map((path, i) => {
      const resolved = resolve(base, path);
      return { name: path, path: resolved, index: i };
    });
    for (const ref of refs) {
      try {
        await this.loadPlugins([ref]);
      } catch (error) {
        throw source.errorAt(['plugins', ref.index], (error as Error).message);
      }
    }
    return { scenario: withAbsolutePaths(resolveScenario(source, this.registry), base), source };
  }
}
