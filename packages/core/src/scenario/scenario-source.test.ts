import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SCENARIO_CHARS, MAX_SCENARIO_KEYS } from '../limits';
import { ScenarioError } from './scenario-error';
import { ScenarioSource } from './scenario-source';

function parseError(text: string): ScenarioError {
  try {
    ScenarioSource.parse('s.yaml', text);
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `a ScenarioError, not ${(error as Error).stack}`);
    return error;
  }
  assert.fail('parsed');
}

/** `count` keys `k0: 0`, `k1: 1`, … in one block mapping under `quick:`. */
function manyKeys(count: number): string {
  const lines = ['quick:'];
  for (let i = 0; i < count; i++) lines.push(`  k${i}: ${i}`);
  return lines.join('\n') + '\n';
}

describe('ScenarioSource.parse', () => {
  // yaml's own uniqueKeys check made this quadratic: 40 000 keys took 10 s, 100 000 over a minute.
  // Linear, these take well under a second each; the test runner's timeout guards the difference.
  it('checks a file of almost MAX_SCENARIO_KEYS keys and finds a duplicate at the end at its place', { timeout: 30_000 }, () => {
    const count = MAX_SCENARIO_KEYS - 10;
    const error = parseError(manyKeys(count) + '  k5: again\n');
    assert.deepEqual([error.line, error.column], [count + 2, 3]);
    assert.match(error.detail, /^invalid YAML: Map keys must be unique \("k5" appears twice/);
  });

  it('rejects more than MAX_SCENARIO_KEYS keys, located at the first key over the limit', { timeout: 30_000 }, () => {
    const error = parseError(manyKeys(MAX_SCENARIO_KEYS + 50));
    assert.deepEqual([error.line, error.column], [MAX_SCENARIO_KEYS + 1, 3], 'quick is key 1, k0 key 2, …');
    assert.equal(error.detail, "more than 100 000 keys, srnn's limit for a scenario file");
  });

  it('parses many keys', () => {
    const source = ScenarioSource.parse('s.yaml', manyKeys(5000));
    assert.equal(Object.keys((source.toJS() as { quick: object }).quick).length, 5000);
  });

  it('rejects a text longer than MAX_SCENARIO_CHARS at 1:1, stating the limit', () => {
    const error = parseError(`description: "${'x'.repeat(MAX_SCENARIO_CHARS)}"\n`);
    assert.deepEqual([error.line, error.column], [1, 1]);
    assert.match(error.detail, /characters, more than srnn's limit of 4 194 304 \(4 MiB\)/);
  });

  it('keys that differ only in their YAML type are duplicates (they are one key of the scenario)', () => {
    const error = parseError('a:\n  1: x\n  "1": y\n');
    assert.deepEqual([error.line, error.column], [3, 3]);
  });

  it('a list or mapping as a key is bad input, not a warning', () => {
    const error = parseError('a: 1\n? [1, 2]\n: 3\n');
    assert.deepEqual([error.line, error.column], [2, 3]);
    assert.match(error.detail, /a key of a scenario is a plain name/);
  });

  it('an alias to no anchor is located at the alias', () => {
    const error = parseError('seed: 1\npopulation: { size: *n }\n');
    assert.deepEqual([error.line, error.column], [2, 21]);
    assert.equal(error.detail, 'invalid YAML: alias *n names no anchor (&n) set before it');
  });

  it('an alias before its anchor is located at the alias', () => {
    const error = parseError('a: *x\nb: &x 1\n');
    assert.deepEqual([error.line, error.column], [1, 4]);
  });

  it('more alias expansions than yaml allows (100) are bad input at the first alias, stating the limit', () => {
    const aliases = Array.from({ length: 101 }, () => '*a').join(', ');
    const error = parseError(`a: &a [1]\nb: [${aliases}]\n`);
    assert.deepEqual([error.line, error.column], [2, 5]);
    assert.match(error.detail, /srnn allows 100 alias expansions/);
    // 100 are fine
    ScenarioSource.parse('s.yaml', `a: &a [1]\nb: [${Array.from({ length: 99 }, () => '*a').join(', ')}]\n`);
  });

  it('a __proto__ key is bad input (JavaScript would treat it specially)', () => {
    const error = parseError('quick:\n  __proto__: { polluted: 1 }\n');
    assert.deepEqual([error.line, error.column], [2, 3]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('without limits (text srnn wrote itself) neither the size nor the alias count is limited', () => {
    const aliases = Array.from({ length: 150 }, () => '*a').join(', ');
    const source = ScenarioSource.parse('s.yaml', `a: &a [1]\nb: [${aliases}]\n`, { limits: false });
    assert.equal((source.toJS() as { b: unknown[] }).b.length, 150);
  });
});
