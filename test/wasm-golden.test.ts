import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Srnn } from '@srnn/runner';
import { PaperRun, type PaperResult } from '@srnn/report';
import { tempDir } from './support/helpers';
import { firstDifference, goldenTables, PAPER_SCENARIOS, readGolden } from './support/golden';

/** What summary.json records of the engine: the one line allowed to differ from the js golden logs. */
const ENGINE_LINE = /^ {2}"backend": .*$/m;

/**
 * The `wasm` backend (f64x2) computes the js backend's bits: `srnn paper --quick` with `backend:
 * wasm` in every paper scenario reproduces the golden logs of test/golden/ exactly — census,
 * losses, tables and the digest of every run's final weights — but for the engine summary.json
 * names. Aggregating, fft and recurrent nets run the wasm backend's own kernels too (any shape
 * they do not cover, its js kernels).
 */
describe('golden logs of the paper on the wasm backend (srnn paper --quick, backend: wasm)', () => {
  let result: PaperResult;
  const golden = readGolden();

  before(async () => {
    const dir = tempDir('srnn-golden-wasm-');
    const scenarios = join(dir, 'scenarios');
    mkdirSync(scenarios);
    for (const file of readdirSync(PAPER_SCENARIOS)) {
      const text = readFileSync(join(PAPER_SCENARIOS, file), 'utf8');
      writeFileSync(join(scenarios, file), file.endsWith('.yaml') ? `backend: wasm\n${text}` : text);
    }
    const srnn = await Srnn.create({});
    result = await (await PaperRun.plan(srnn, { out: join(dir, 'paper'), quick: true, workers: 1, scenarios })).execute();
  });

  for (const [name, files] of golden) {
    test(`${name}: reproduces test/golden/${name}/ exactly`, () => {
      const now = goldenTables(join(result.out, name));
      assert.deepEqual([...now.keys()].sort(), [...files.keys()].sort(), 'the same tables');
      for (const [file, content] of files) {
        let actual = now.get(file)!;
        if (file === 'summary.json') {
          assert.match(actual, /"backend": "WebAssembly SIMD f64x2/, 'ran on the wasm backend');
          actual = actual.replace(ENGINE_LINE, content.match(ENGINE_LINE)![0]);
        }
        if (actual !== content) assert.fail(`test/golden/${name}/${file} differs at ${firstDifference(content, actual)}`);
      }
    });
  }
});
