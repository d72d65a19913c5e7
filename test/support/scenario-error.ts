import assert from 'node:assert/strict';
import { ScenarioError } from '@srnn/core';

/** Where a ScenarioError must point (1-based) and what its message must mention. */
export interface ExpectedScenarioError {
  readonly line: number;
  readonly column: number;
  /** Substrings the message must contain. */
  readonly mentions?: readonly string[];
}

/** `error` is a ScenarioError whose message starts with `<file>:<line>:<col>: ` and mentions every expected word. */
export function assertScenarioError(error: unknown, file: string, expected: ExpectedScenarioError): asserts error is ScenarioError {
  assert.ok(error instanceof ScenarioError, `expected a ScenarioError, got ${error instanceof Error ? `${error.name}: ${error.stack}` : String(error)}`);
  const prefix = `${file}:${expected.line}:${expected.column}: `;
  assert.ok(error.message.startsWith(prefix), `message should start with "${prefix}" but is:\n${error.message}`);
  assert.equal(error.file, file);
  assert.equal(error.line, expected.line, 'line');
  assert.equal(error.column, expected.column, 'column');
  for (const word of expected.mentions ?? []) {
    assert.ok(error.message.includes(word), `message should mention ${JSON.stringify(word)}:\n${error.message}`);
  }
}
