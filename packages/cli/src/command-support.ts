import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ScenarioError } from '@srnn/core';
import { CheckpointMismatchError } from '@srnn/checkpoint';
import { OutputDirectoryError, Srnn, WorkerPoolExecutor, type RunExecutor } from '@srnn/runner';
import { signalsHandled } from './interruption';

/** Bad input on the command line: exit 2, like a bad scenario. */
export class UsageError extends Error {}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const MAX_SEED = 2 ** 32 - 1;

/** A seed, in the range a scenario's `seed` takes (so that scenario.resolved.yaml reruns). */
export function seed(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n <= MAX_SEED)) throw new InvalidArgumentError(`expected an integer 0 … ${MAX_SEED} (2^32 − 1)`);
  return n;
}

/** More worker threads than this only cost memory: each holds its own plugins and kernels. */
const MAX_WORKERS = 256;

/** A number of worker threads, 1 … MAX_WORKERS. */
export function workerCount(value: string): number {
  const n = positiveInteger(value);
  if (n > MAX_WORKERS) throw new InvalidArgumentError(`expected at most ${MAX_WORKERS} workers`);
  return n;
}

/** Bad input (exit 2): a located ScenarioError, a UsageError or an --out srnn may not replace; anything else is a failure (exit 1). */
export function isBadInput(error: unknown): boolean {
  return error instanceof ScenarioError || error instanceof UsageError || error instanceof OutputDirectoryError || error instanceof CheckpointMismatchError;
}

/** Wraps a command: bad input (scenario, flags, an --out srnn may not replace) exits 2, any other failure 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await signalsHandled();
      await fn(...args);
    } catch (error) {
      const bad = isBadInput(error);
      process.stderr.write(`srnn: ${(error as Error).message}\n`);
      if (!bad && process.env.SRNN_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = bad ? 2 : 1;
    }
  };
}

/** `--plugin FILE` (repeatable) and, for commands that read a scenario or results directory, `--allow-plugins`. */
export interface PluginFlags {
  readonly plugin?: readonly string[];
  readonly allowPlugins?: boolean;
}

/** Adds the plugin flags to a command: `--plugin FILE` always, `--allow-plugins` where data files name plugins. */
export function pluginOptions(command: Command, { allow = true } = {}): Command {
  command.option('--plugin <file>', 'load this plugin module first (repeatable)', (file: string, files: string[] = []) => [...files, file]);
  if (allow) command.option('--allow-plugins', "load the plugin modules the scenario's plugins: names (only files inside its folder)");
  return command;
}

/** An Srnn with the installed plugins and the modules named with --plugin (a bad one is a UsageError). */
export async function createSrnn(flags: PluginFlags): Promise<Srnn> {
  const srnn = await Srnn.create();
  for (const file of flags.plugin ?? []) {
    if (!existsSync(file)) throw new UsageError(`--plugin ${file}: no such file`);
    try {
      await srnn.loadPlugins([{ name: file, path: resolve(file) }]);
    } catch (error) {
      throw new UsageError(`--plugin ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return srnn;
}

/** With SRNN_DEBUG: how many of a pool's threads started (beyond the first, only those that paid: see WorkerPoolExecutor). */
export function debugPool(pool: RunExecutor): void {
  if (!process.env.SRNN_DEBUG || !(pool instanceof WorkerPoolExecutor)) return;
  const { threads, handOvers } = pool.stats;
  process.stderr.write(`srnn: ${threads} of ${pool.workers} worker thread${pool.workers === 1 ? '' : 's'} started, ${handOvers} hand-overs\n`);
}

/** `--backend`'s help: what it overrides, and the default without it. */
export const BACKEND_HELP =
  "override the scenario's backend: js | tfjs | wasm | wasm-f32 (without either: the fastest covering the network — where WebAssembly SIMD runs, wasm-f32 for weightwise linear/relu nets up to 64 weights and recurrent ones up to 256, wasm for aggregating and fft ones up to 256 — else js; `backend: js` keeps js's float64 numerics)";

/** A `--backend` naming no registered backend is a usage error that lists them. */
export function checkBackend(srnn: Srnn, backend: string | undefined): void {
  const names = srnn.registry.backends.map((b) => b.name);
  if (backend !== undefined && !names.includes(backend)) {
    throw new UsageError(`--backend ${backend}: expected one of ${names.join(', ')} (or no --backend: the scenario's, else the default for its network)`);
  }
}
