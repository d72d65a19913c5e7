import assert from 'node:assert/strict';
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_TEXT_FILE_BYTES } from '@srnn/bounded-file';
import { pluginOptions } from '@srnn/core';
import { CensusBarsFigure } from './census-bars-figure';
import { CensusOverTimeFigure } from './census-over-time-figure';
import { singleRunDir, sweepDir } from './fixture-results';
import { readCensus, readSweepRuns } from './results-data';
import { censusFileLimit, MAX_CENSUS_ROWS, runsFileLimit } from './results-limits';

/** `file` made `bytes` long (sparse: nothing is written), as a results file too large to read. */
function grow(file: string, bytes: number): void {
  writeFileSync(file, '');
  truncateSync(file, bytes);
}

describe('results files are read within limits proportional to what they can hold', () => {
  test('census.csv: a million censuses (2^20) of seven numbers', () => {
    const { bytes, why } = censusFileLimit();
    assert.ok(bytes >= MAX_CENSUS_ROWS * 7 * 25 && bytes < MAX_TEXT_FILE_BYTES, String(bytes));
    assert.equal(why, '1 048 576 censuses × 175 bytes');
  });

  test('runs.json / runs.csv: in proportion to the sweep’s runs, and the fixture sweep’s files fit', () => {
    const { dir, scenario } = sweepDir();
    const limit = runsFileLimit(scenario);
    for (const name of ['runs.json', 'runs.csv']) assert.ok(statSync(join(dir, name)).size < limit.bytes, name);
    const twice = runsFileLimit({ ...scenario, replicates: 2 * scenario.replicates });
    assert.ok(twice.bytes - runsFileLimit({ ...scenario, replicates: 0 }).bytes === 2 * (limit.bytes - runsFileLimit({ ...scenario, replicates: 0 }).bytes), 'linear in the runs');
    assert.match(limit.why!, /^\d+ runs × [\d ]+ bytes$/);
    assert.deepEqual(runsFileLimit(undefined), { bytes: MAX_TEXT_FILE_BYTES });
  });

  test('a census.csv over its limit is an error naming the file and the limit, from the figure too', async () => {
    const { dir, scenario } = singleRunDir();
    const file = join(dir, 'census.csv');
    grow(file, censusFileLimit().bytes + 1);
    const message = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: larger than the limit of [\\d.]+ MiB \\(1 048 576 censuses × 175 bytes\\)`);
    assert.throws(() => readCensus(dir), { name: 'BoundedFileError', message });
    const figure = new CensusOverTimeFigure();
    await assert.rejects(figure.render(dir, scenario, pluginOptions(figure, {})), { name: 'BoundedFileError', message });
  });

  test('a runs.json or runs.csv over its sweep’s limit is an error naming the file, from the figure too', async () => {
    for (const format of ['json', 'csv'] as const) {
      const { dir, scenario } = sweepDir({ format });
      const file = join(dir, `runs.${format}`);
      grow(file, runsFileLimit(scenario).bytes + 1);
      const message = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: larger than the limit of .* \\(\\d+ runs × [\\d ]+ bytes\\)`);
      assert.throws(() => readSweepRuns(dir, scenario), { name: 'BoundedFileError', message });
      const figure = new CensusBarsFigure();
      await assert.rejects(figure.render(dir, scenario, pluginOptions(figure, {})), { name: 'BoundedFileError', message });
    }
  });
});
