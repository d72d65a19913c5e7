import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ContainerModule } from 'inversify';

export interface PluginModuleRef {
  /** Package name, or the path given in a scenario. */
  readonly name: string;
  readonly path: string;
}

/**
 * Installed packages that declare themselves srnn plugins in package.json with
 * `"srnn": { "module": "./dist/…-module.js" }`, found in every node_modules from `from` upwards.
 */
export function discoverInstalledPlugins(from: readonly string[] = [process.cwd(), __dirname]): PluginModuleRef[] {
  const found = new Map<string, PluginModuleRef>();
  for (const start of from) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const modules = join(dir, 'node_modules');
      if (existsSync(modules)) for (const ref of pluginsIn(modules)) if (!found.has(ref.name)) found.set(ref.name, ref);
      if (dirname(dir) === dir) break;
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function pluginsIn(modules: string): PluginModuleRef[] {
  const packageDirs = readdirSync(modules).flatMap((entry) =>
    entry.startsWith('@') ? readdirSync(join(modules, entry)).map((name) => join(modules, entry, name)) : [join(modules, entry)],
  );
  const refs: PluginModuleRef[] = [];
  for (const dir of packageDirs) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; srnn?: { module?: string } };
      if (pkg.name && pkg.srnn?.module) refs.push({ name: pkg.name, path: join(dir, pkg.srnn.module) });
    } catch {
      // not a readable package; not ours to judge
    }
  }
  return refs;
}

/** Requires a plugin file and returns its default-exported ContainerModule. */
export function loadPluginModule(ref: PluginModuleRef): ContainerModule {
  let exported: { default?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(ref.path);
  } catch (error) {
    throw new Error(`plugin ${ref.name}: cannot load ${ref.path}: ${(error as Error).message}`);
  }
  const module = exported.default as ContainerModule | undefined;
  if (!module || typeof (module as { load?: unknown }).load !== 'function') {
    throw new Error(`plugin ${ref.name}: ${ref.path} must default-export an inversify ContainerModule`);
  }
  return module;
}
