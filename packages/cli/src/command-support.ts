import { InvalidArgumentError } from 'commander';
import { ScenarioError } from '@srnn/core';
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

/** Wraps a command: bad input (scenario or flags) exits 2, any other failure 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await signalsHandled();
      await fn(...args);
    } catch (error) {
      const bad = error instanceof ScenarioError || error instanceof UsageError;
      process.stderr.write(`srnn: ${(error as Error).message}\n`);
      if (!bad && process.env.SRNN_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = bad ? 2 : 1;
    }
  };
}
