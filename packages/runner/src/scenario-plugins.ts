import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { toScenarioError, type ScenarioSource } from '@srnn/core';
import type { PluginModuleRef } from './plugin-loader';

export interface ScenarioPluginOptions {
  /**
   * Load the plugin modules a scenario names under `plugins:` (the CLI's `--allow-plugins`);
   * default false: a scenario naming a module not loaded already is rejected, nothing is executed.
   * Allowed or not, they must lie inside the scenario file's folder.
   */
  readonly allowPlugins?: boolean;
}

/** Only the keys needed before plugins are loaded. */
const pluginListSchema = z.object({ plugins: z.array(z.string()).default([]) }).loose();

/** The `plugins:` list of a scenario, read before its plugins are loaded and the full schema exists. */
export function pluginsOf(source: ScenarioSource): string[] {
  const parsed = pluginListSchema.safeParse(source.toJS());
  if (!parsed.success) throw toScenarioError(source, parsed.error, pluginListSchema);
  return parsed.data.plugins;
}

/** A plugin module a scenario names, at its `plugins:` entry. */
export interface ScenarioPluginRef extends PluginModuleRef {
  readonly index: number;
}

/** The real path of a file (symbolic links resolved), or undefined when there is none. */
export function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The modules of a scenario's `plugins:` still to load, checked before anything is executed: an
 * entry naming a module loaded already (installed, or named by the user with `--plugin`) loads
 * nothing; any other needs `allowPlugins` and must resolve, symbolic links followed, to a file
 * inside the scenario file's folder. A problem is a ScenarioError at the key or the entry.
 */
export function scenarioPluginsToLoad(source: ScenarioSource, options: ScenarioPluginOptions, isLoaded: (realPath: string) => boolean): ScenarioPluginRef[] {
  const base = dirname(resolve(source.file));
  const refs: ScenarioPluginRef[] = [];
  pluginsOf(source).forEach((path, index) => {
    const real = realPathOf(resolve(base, path));
    if (real !== undefined && isLoaded(real)) return;
    if (!options.allowPlugins) {
      throw source.errorAtKey([], 'plugins', `plugins: the scenario names code to load (${path}); srnn loads it only with --allow-plugins (or name the module with --plugin FILE); nothing was loaded`);
    }
    if (real === undefined) throw source.errorAt(['plugins', index], `plugins: no such plugin file ${resolve(base, path)}`);
    const folder = realPathOf(base) ?? base;
    const inside = relative(folder, real);
    if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw source.errorAt(
        ['plugins', index],
        `plugins: ${path} lies outside the scenario's folder (${folder}); a scenario may name only plugin files inside it: name this one with --plugin FILE instead`,
      );
    }
    refs.push({ name: path, path: real, index });
  });
  return refs;
}
