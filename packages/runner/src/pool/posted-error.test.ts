import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InitError, ScenarioError } from '@srnn/core';
import { postableError, revivedError } from './posted-error';

/** Through structuredClone, as a message between threads goes. */
const across = (error: unknown) => revivedError(structuredClone(postableError(error)));

test('ScenarioErrors and InitErrors cross threads as themselves; other errors keep message and stack', () => {
  const scenario = across(new ScenarioError('a.yaml', 3, 5, 'bad')) as ScenarioError;
  assert.ok(scenario instanceof ScenarioError);
  assert.deepEqual([scenario.message, scenario.file, scenario.line, scenario.column, scenario.detail], ['a.yaml:3:5: bad', 'a.yaml', 3, 5, 'bad']);
  const init = across(new InitError(['population', 'init', 2], 'expected 14 numbers')) as InitError;
  assert.ok(init instanceof InitError);
  assert.deepEqual([init.path, init.message], [['population', 'init', 2], 'expected 14 numbers']);
  const plain = new Error('boom');
  const other = across(plain) as Error;
  assert.deepEqual([other.message, other.stack], ['boom', plain.stack]);
  const uncloneable = Object.assign(new Error('with a function'), { f: () => 1 });
  assert.equal((across(uncloneable) as Error).message, 'with a function');
});
