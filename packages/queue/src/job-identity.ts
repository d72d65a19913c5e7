import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SRNN_VERSION, type ResolvedScenario } from '@srnn/core';
import type { PluginModuleRef } from '@srnn/runner';

/** What a job carries besides its scenario: which srnn and which plugins must run it. */
export interface JobRequirements {
  /** The submitter's srnn version; a worker with another one rejects the job. */
  readonly srnn: string;
  /** The submitter's plugins (`name@version` of a package, `file#hash` of a plugin file); a worker lacking one rejects the job. */
  readonly plugins: readonly string[];
}

/** A job's data: one run of a sweep (or a single-run paper experiment). */
export interface RunJobData extends JobRequirements {
  /** The run's name in its results directory (`runs/<id>`), for humans and the job id. */
  readonly run: string;
  readonly scenario: ResolvedScenario;
}

/**
 * How a plugin is known across machines: an installed package by its name and version (its
 * path differs from machine to machine), a plugin file by its name and the hash of its bytes.
 */
export function pluginSignature(ref: PluginModuleRef): string {
  const manifest = packageManifestOf(ref.path);
  if (manifest && manifest.name === ref.name) return `${manifest.name}@${manifest.version}`;
  const hash = existsSync(ref.path) ? createHash('sha256').update(readFileSync(ref.path)).digest('hex').slice(0, 12) : 'missing';
  return `${basename(ref.path)}#${hash}`;
}

/** The requirements of jobs submitted with these plugins, by this srnn. */
export function requirementsOf(plugins: readonly PluginModuleRef[]): JobRequirements {
  return { srnn: SRNN_VERSION, plugins: [...new Set(plugins.map(pluginSignature))].sort() };
}

/**
 * The job id of a run: the hash of everything its result depends on (srnn version, plugins,
 * the run's resolved scenario with its seed) and the run's name. Submitting the same sweep again
 * names the same jobs, which BullMQ then does not add twice; a finished one is not run again.
 */
export function jobIdOf(data: RunJobData): string {
  const hash = createHash('sha256')
    .update(canonicalJson({ srnn: data.srnn, plugins: data.plugins, scenario: data.scenario }))
    .digest('hex')
    .slice(0, 24);
  // BullMQ job ids must not hold ':' (its key separator) nor be integers
  return `${hash}-${data.run.replace(/[^A-Za-z0-9._=+-]/g, '_')}`;
}

/** Why a worker with `own` requirements cannot run a job needing `needed`; undefined when it can. */
export function incompatibility(needed: JobRequirements, own: JobRequirements, worker: string): string | undefined {
  if (needed.srnn !== own.srnn) return `worker ${worker} runs srnn ${own.srnn}, the job was submitted by srnn ${needed.srnn}: run the same srnn version on both sides`;
  const missing = needed.plugins.filter((plugin) => !own.plugins.includes(plugin));
  if (missing.length === 0) return undefined;
  const described = missing.map((plugin) => {
    const name = plugin.replace(/[@#][^@#]*$/, '');
    const other = own.plugins.find((p) => p.replace(/[@#][^@#]*$/, '') === name);
    return other ? `${plugin} (it has ${other})` : plugin;
  });
  return `worker ${worker} lacks the plugin${missing.length === 1 ? '' : 's'} ${described.join(', ')}: install the same plugins (or start it with the same --plugin files)`;
}

/** JSON with object keys sorted: the same value gives the same text wherever it was built. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function packageManifestOf(path: string): { name?: string; version?: string } | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
