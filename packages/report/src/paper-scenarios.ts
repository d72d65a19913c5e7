import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';

/** One scenario file of the paper directory; `name` (the file name without extension) names its results. */
export interface PaperScenarioFile {
  readonly name: string;
  readonly file: string;
}

/** A wrong `--only` name or a missing directory: the user's mistake, not srnn's. */
export class PaperUsageError extends Error {
  override readonly name = 'PaperUsageError';
}

/**
 * The paper scenarios to use when none are named: `scenarios/paper` under the working directory
 * when there is one, else the one of the srnn checkout this package belongs to.
 */
export function defaultScenariosDir(cwd = process.cwd()): string {
  const local = resolve(cwd, 'scenarios', 'paper');
  if (existsSync(local)) return local;
  return resolve(__dirname, '..', '..', '..', 'scenarios', 'paper');
}

/** Every `*.yaml` / `*.yml` file of `dir`, by name. */
export function listPaperScenarios(dir: string): PaperScenarioFile[] {
  if (!existsSync(dir)) throw new PaperUsageError(`no scenario directory ${dir}`);
  return readdirSync(dir)
    .filter((entry) => /\.ya?ml$/.test(entry))
    .sort()
    .map((entry) => ({ name: basename(entry, extname(entry)), file: join(dir, entry) }));
}

/**
 * The files `only` names (by name, with or without extension), in directory order; all of them
 * without `only`. An unknown name is an error listing the known ones.
 */
export function selectPaperScenarios(all: readonly PaperScenarioFile[], only?: readonly string[]): PaperScenarioFile[] {
  if (!only || only.length === 0) return [...all];
  const wanted = new Set(only.map((name) => name.trim().replace(/\.ya?ml$/, '')).filter((name) => name.length > 0));
  const unknown = [...wanted].filter((name) => !all.some((s) => s.name === name));
  if (unknown.length > 0) {
    const known = all.map((s) => s.name).join(', ');
    throw new PaperUsageError(`--only: no paper scenario ${unknown.map((n) => `"${n}"`).join(', ')}; expected names from: ${known}`);
  }
  return all.filter((s) => wanted.has(s.name));
}

/** Orders PAPER.md sections numerically ("4.2" < "4.10"); scenarios without a section come last. */
export function compareSections(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? -1;
    const y = pb[i] ?? -1;
    if (Number.isNaN(x) || Number.isNaN(y)) return a.localeCompare(b);
    if (x !== y) return x - y;
  }
  return 0;
}
