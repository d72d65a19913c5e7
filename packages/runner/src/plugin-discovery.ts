import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { PluginModuleRef } from './plugin-loader';

/**
 * The installed packages that declare themselves srnn plugins in package.json with
 * `"srnn": { "module": "./dist/…-module.js" }` — not every package of some node_modules, only:
 * - the dependencies of @srnn/cli (the plugins srnn ships with), when it is installed;
 * - the dependencies and devDependencies of the project that installs srnn: the package.json
 *   beside the node_modules that holds @srnn/core (in this repository: its root package.json).
 * The working directory plays no part. `coreDir` is @srnn/core's own package directory.
 */
export function discoverInstalledPlugins(coreDir: string = dirname(require.resolve('@srnn/core/package.json'))): PluginModuleRef[] {
  const found = new Map<string, PluginModuleRef>();
  const declaredBy = (packageDir: string | undefined, fields: readonly DependencyField[]) => {
    const manifest = packageDir === undefined ? undefined : readManifest(join(packageDir, 'package.json'));
    if (!packageDir || !manifest) return;
    for (const name of fields.flatMap((field) => Object.keys(manifest[field] ?? {}))) {
      const dir = findPackage(name, packageDir);
      const pkg = dir === undefined ? undefined : readManifest(join(dir, 'package.json'));
      if (dir && pkg?.name && typeof pkg.srnn?.module === 'string' && !found.has(pkg.name)) found.set(pkg.name, { name: pkg.name, path: join(dir, pkg.srnn.module) });
    }
  };
  declaredBy(findPackage('@srnn/cli', coreDir), ['dependencies']);
  declaredBy(installingProject(coreDir), ['dependencies', 'devDependencies']);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

type DependencyField = 'dependencies' | 'devDependencies';

interface Manifest {
  readonly name?: string;
  readonly srnn?: { readonly module?: unknown };
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

function readManifest(file: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return manifest && typeof manifest === 'object' ? (manifest as Manifest) : undefined;
  } catch {
    return undefined; // not a readable package; not ours to judge
  }
}

/** The directory of package `name` as Node finds it from `from` (node_modules upwards). */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The project whose node_modules holds @srnn/core at `coreDir`: the directory before the first
 * node_modules of its path, or, for a checkout whose packages are linked into node_modules (npm
 * workspaces), the nearest directory above it whose node_modules has @srnn/core.
 */
function installingProject(coreDir: string): string | undefined {
  const parts = resolve(coreDir).split(sep);
  const first = parts.indexOf('node_modules');
  if (first > 0) return parts.slice(0, first).join(sep) || sep;
  for (let dir = dirname(resolve(coreDir)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', '@srnn', 'core', 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
