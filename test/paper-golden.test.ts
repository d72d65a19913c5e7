import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { PaperResult } from '@srnn/report';
import { tempDir } from './support/helpers';
import { firstDifference, goldenTables, readGolden, runQuickPaper } from './support/golden';

/**
 * The paper's numerics, guarded: `srnn paper --quick` (every scenario of scenarios/paper/, small
 * and seeded) must reproduce the tables stored under test/golden/ exactly — census counts, losses,
 * per-level statistics and a digest of every run's final weights. A change that moves any number
 * fails here; if it is intended, `npm run golden:update` rewrites the golden logs (review the diff).
 */
const UPDATE = 'if the change is intended, run `npm run golden:update` and review the diff of test/golden/';

describe('golden logs of the paper (srnn paper --quick)', () => {
  let result: PaperResult;
  const golden = readGolden();

  before(async () => {
    result = await runQuickPaper(join(tempDir('srnn-golden-'), 'paper'));
  });

  test('every paper scenario has golden logs, and every golden log a paper scenario', () => {
    const names = result.experiments.map((e) => e.experiment.name).sort();
    assert.deepEqual([...golden.keys()].sort(), names, `the golden logs are those of the paper scenarios; ${UPDATE}`);
  });

  // one test per stored experiment, so that a failure names the experiment and file that changed
  for (const [name, files] of golden) {
    test(`${name}: the --quick run reproduces test/golden/${name}/ exactly`, () => {
      const experiment = result.experiments.find((e) => e.experiment.name === name);
      assert.ok(experiment, `scenarios/paper/${name}.yaml ran`);
      const now = goldenTables(join(result.out, name));
      assert.deepEqual([...now.keys()].sort(), [...files.keys()].sort(), `the same tables; ${UPDATE}`);
      for (const [file, content] of files) {
        const actual = now.get(file)!;
        if (actual !== content) assert.fail(`test/golden/${name}/${file} differs at ${firstDifference(content, actual)}\n${UPDATE}`);
      }
    });
  }
});
