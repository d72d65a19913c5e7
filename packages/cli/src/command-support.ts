import { InvalidArgumentError } from 'commander';
import { ScenarioError } from '@srnn/core';

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

/** Bad input (exit 2): a located ScenarioError or a UsageError; anything else is a failure (exit 1). */
export function isBadInput(error: unknown): boolean {
  return error instanceof ScenarioError || error instanceof UsageError;
}

/** Wraps a command: bad input (scenario or flags) exits 2, any other failure 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const bad = isBadInput(error);
      process.stderr.write(`srnn: ${(error as Error).message}\n`);
      if (!bad && process.env.SRNN_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = bad ? 2 : 1;
    }
  };
}
