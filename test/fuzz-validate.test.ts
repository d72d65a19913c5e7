import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { isBadInput, validateScenario } from '@srnn/cli';
import { Run, ScenarioError, type ResolvedScenario } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { FuzzRandom, mutateScenario } from './support/scenario-fuzz';
import { REPO_ROOT, describeCli, runCli, tempDir, writeFile } from './support/helpers';

/**
 * Mutated copies of the repository's scenarios (scenarios/*.yaml, scenarios/paper/*.yaml), seeded,
 * through `srnn validate`: in this process through the function the command uses, and a few
 * through the real binary. Every outcome is "valid" or bad input (exit 2) located at
 * file:line:col — never a crash, a stack trace or an unlocated message — and what validate calls
 * valid starts to run (the run gets past every check before its first step).
 */

const FILES = 400;
const CLI_FILES = 6;
const SEED = 20240611;

const scenarioFiles = [
  ...readdirSync(join(REPO_ROOT, 'scenarios'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(REPO_ROOT, 'scenarios', name)),
  ...readdirSync(join(REPO_ROOT, 'scenarios', 'paper'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(REPO_ROOT, 'scenarios', 'paper', name)),
];

/** The n-th mutated file: its text and the scenario it came from. */
function fuzzed(n: number): { text: string; from: string } {
  const random = new FuzzRandom(SEED + n);
  const from = random.pick(scenarioFiles);
  return { text: mutateScenario(readFileSync(from, 'utf8'), random), from };
}

/** A bad-input message starts with the file and, where the problem has a position, line and column. */
function assertLocated(message: string, file: string, what: string): void {
  const located = message.startsWith(`${file}:`) && /^\d+:\d+: \S/.test(message.slice(file.length + 1));
  assert.ok(located || message.startsWith(`${file}: `), `${what}: message not located at ${file}:line:col:\n${message}`);
  assert.doesNotMatch(message, /\n\s+at .+\(.+:\d+:\d+\)/, `${what}: a stack trace in the message`);
}

/** Starts a run of the scenario and stops it once it has started: it must get past its checks. */
async function assertStarts(srnn: Srnn, scenario: ResolvedScenario, what: string): Promise<void> {
  const run = new Run(scenario, srnn.registry);
  let started = false;
  run.events$.subscribe((event) => {
    if (event.kind === 'run-started') {
      started = true;
      run.cancel('stopped by the fuzz test');
    }
  });
  try {
    await run.execute();
  } catch (error) {
    // whatever happens after the start is the run's business, not the load's
    if (!started) assert.fail(`${what}: validate said valid, but the run failed before it started: ${(error as Error).stack}`);
  }
  assert.ok(started, `${what}: the run never started`);
}

describe('fuzzed scenarios: validate gives valid or located bad input, never a crash', () => {
  let srnn: Srnn;
  let dir: string;

  before(async () => {
    srnn = await Srnn.create();
    dir = tempDir('srnn-fuzz-');
  });

  test(`${FILES} mutated scenarios through validate in-process; the valid ones start to run`, { timeout: 120_000 }, async () => {
    let valid = 0;
    for (let n = 0; n < FILES; n++) {
      const { text, from } = fuzzed(n);
      const file = writeFile(dir, `fuzz-${n}.yaml`, text);
      const what = `fuzz-${n}.yaml (from ${from})`;
      try {
        const line = await validateScenario(srnn, file);
        assert.ok(line.startsWith(`${file}: valid`), line);
        valid++;
        const { plan, quickPlan } = await srnn.loadScenario(file);
        for (const p of [plan, quickPlan]) if (p) await assertStarts(srnn, p.runs[n % p.runs.length].scenario, what);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(isBadInput(error), `${what}: not bad input but ${(error as Error).stack}\n--- file ---\n${text}`);
        if (error instanceof ScenarioError) assert.equal(error.file, file, what);
        assertLocated((error as Error).message, file, what);
      }
      assert.deepEqual(Object.keys(Object.prototype), [], `${what}: Object.prototype was changed`);
    }
    // the mutations leave some scenarios valid, so the checks behind the schema are reached too
    assert.ok(valid > FILES / 20 && valid < FILES / 2, `${valid} of ${FILES} valid`);
  });

  test(`${CLI_FILES} of them through the srnn binary exit 0 or 2 with file:line:col, no stack trace`, () => {
    for (let n = 0; n < CLI_FILES; n++) {
      const name = `cli-fuzz-${n}.yaml`;
      writeFile(dir, name, fuzzed(FILES + n).text);
      const result = runCli(['validate', name], dir);
      assert.ok(result.status === 0 || result.status === 2, describeCli(result));
      if (result.status === 0) assert.match(result.stdout, new RegExp(`^${name}: valid`), describeCli(result));
      else assertLocated(result.stderr.replace(/^srnn: /, ''), name, describeCli(result));
      assert.doesNotMatch(result.stderr, /\n\s+at /, describeCli(result));
    }
  });
});
