import 'reflect-metadata';
import { Container, type ContainerModule } from 'inversify';
import { coreModule } from './core-module';
import { discoverInstalledPlugins, loadPluginModule, type PluginModuleRef } from './plugin-loader';
import { PluginRegistry } from './registry';
import { realPathOf, scenarioPluginsToLoad, type ScenarioPluginOptions } from './scenario/scenario-plugins';
import type { ScenarioSource } from './scenario/scenario-source';

export interface PluginHostOptions {
  /**
   * Load the installed packages that declare themselves srnn plugins (default true): those srnn
   * depends on and those the project installing srnn declares (discoverInstalledPlugins).
   */
  readonly discover?: boolean;
  /** Extra plugin modules, e.g. a plugin under development. */
  readonly modules?: readonly ContainerModule[];
}

/**
 * A DI container holding core and the plugins, with the registry of their contributions. `Srnn`
 * (@srnn/runner), which loads and runs scenarios, is one.
 */
export class PluginHost {
  private readonly container = new Container();
  private readonly loaded = new Map<string, PluginModuleRef>();
  private cachedRegistry: PluginRegistry | undefined;

  /** True when plugin modules were passed as objects, which worker threads cannot load. */
  protected hasModuleObjects = false;

  /** Installed plugins that could not be loaded, with the reason. */
  readonly skipped: { ref: PluginModuleRef; reason: string }[] = [];

  protected constructor() {}

  static async create(options: PluginHostOptions = {}): Promise<PluginHost> {
    const host = new PluginHost();
    await host.setUp(options);
    return host;
  }

  /** Loads core, `own` (what the subclass contributes), the `modules` and the installed plugins. */
  protected async setUp(options: PluginHostOptions, own: readonly ContainerModule[] = []): Promise<void> {
    await this.container.load(coreModule, ...own, ...(options.modules ?? []));
    this.hasModuleObjects = (options.modules ?? []).length > 0;
    if (!(options.discover ?? true)) return;
    // One broken installed package must not disable srnn: it is skipped, with a warning.
    for (const ref of discoverInstalledPlugins()) {
      try {
        await this.loadPlugins([ref]);
      } catch (error) {
        this.skipped.push({ ref, reason: (error as Error).message });
        process.emitWarning(`srnn: skipping installed plugin ${ref.name}: ${(error as Error).message}`);
      }
    }
  }

  /**
   * The plugins registered so far. Built once per set of loaded plugins: building it constructs
   * every transient plugin (a soup composes its options schema from the interactions), which
   * costs more than a small run.
   */
  get registry(): PluginRegistry {
    this.cachedRegistry ??= this.container.get(PluginRegistry);
    return this.cachedRegistry;
  }

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

  /** The loaded module a path names (symbolic links resolved), if it is loaded. */
  protected loadedPlugin(path: string): PluginModuleRef | undefined {
    return this.loaded.get(realPathOf(path) ?? path);
  }

  /**
   * Loads the modules a scenario's `plugins:` names: only with `{ allowPlugins: true }` and from
   * inside its folder (else a ScenarioError; none is executed).
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
}
