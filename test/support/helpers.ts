import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The monorepo root (compiled helpers live in test/dist/support). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The compiled srnn command. */
export const CLI_MAIN = join(REPO_ROOT, 'packages', 'cli', 'dist', 'main.js');

/** Fixture files (not compiled; they live in test/fixtures). */
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/** The local plugin registering the `fail-midway` experiment. */
export const FAILING_PLUGIN = join(FIXTURES, 'failing-experiment-plugin.js');

const temporaries: string[] = [];
let cleanupRegistered = false;

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix = 'srnn-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaries.push(dir);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.on('exit', () => {
      for (const d of temporaries) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/** Writes `text` to dir/name and returns the absolute path. */
export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * A scenario's `plugins:` entry for the failing plugin: a module in `scenarioDir` that re-exports
 * it (a scenario may name only plugin files inside its folder, and only with --allow-plugins).
 */
export function failingPluginFrom(scenarioDir: string): string {
  writeFileSync(join(scenarioDir, 'failing-experiment-plugin.js'), `module.exports = require(${JSON.stringify(FAILING_PLUGIN)});\n`);
  return './failing-experiment-plugin.js';
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `srnn <args…>` in `cwd` and waits for it. */
export function runCli(args: readonly string[], cwd: string): CliResult {
  const result = spawnSync(process.execPath, [CLI_MAIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, SRNN_DEBUG: '' },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A readable description of a CLI result for assertion messages. */
export function describeCli(result: CliResult): string {
  return `exit ${result.status}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** weights.json: a weight is a number, or "NaN", "Infinity", "-Infinity". */
export interface WeightsJson {
  particles: { uid: number; parent: number; birth: number; class: string; weights: (number | string)[] }[];
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Entries of `dir` whose names start with `.srnn-tmp-` (leftovers of a results directory swap). */
export function leftoverTemporaries(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('.srnn-tmp-'));
}

/** A small weightwise self-train scenario (YAML text). */
export function smallScenario(options: { seed?: number; size?: number; steps?: number; batch?: 'full' | 1; censusEvery?: number } = {}): string {
  const { seed = 11, size = 5, steps = 20, batch = 'full', censusEvery } = options;
  const every = censusEvery === undefined ? '' : `, censusEvery: ${censusEvery}`;
  return ['name: small', `seed: ${seed}`, 'architecture: { type: weightwise }', `population: { size: ${size} }`, `experiment: { type: self-train, steps: ${steps}, batch: ${batch}${every} }`, ''].join(
    '\n',
  );
}
