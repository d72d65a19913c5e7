import { MAX_TEXT_FILE_BYTES, type FileLimit } from '@srnn/bounded-file';
import { formatCount, PARTICLE_CLASSES, type ResolvedScenario } from '@srnn/core';
import { MAX_RUNS } from '@srnn/runner';

/** Characters a number takes at most in a results table: a float64 such as -1.2345678901234567e-308. */
const NUMBER_CHARS = 24;
/** Room for a header, a file's framing and rounding. */
const SLACK = 64 * 1024;
/** Censuses of one run the figures read at most (they draw at most MAX_DRAWN_CENSUSES of them). */
export const MAX_CENSUS_ROWS = 2 ** 20;
/** A run id of a sweep is at most 200 characters (runner's runId). */
const RUN_ID_CHARS = 200;

/** census.csv: a row per census — step, the five counts, mean_loss — for at most MAX_CENSUS_ROWS censuses. */
export function censusFileLimit(): FileLimit {
  const row = (2 + PARTICLE_CLASSES.length) * (NUMBER_CHARS + 1);
  return { bytes: MAX_CENSUS_ROWS * row + SLACK, why: `${formatCount(MAX_CENSUS_ROWS)} censuses × ${row} bytes` };
}

/**
 * runs.json or runs.csv of a sweep: a row per run of the scenario's sweep (combinations × replicates)
 * with the run id, the swept values, replicate, seed, the counts, the fractions, mean_loss and
 * elapsedMs, as JSON (keys repeated in every row, indented) or CSV (values quoted). Without the
 * sweep's scenario: srnn's limit for a text file.
 */
export function runsFileLimit(scenario: ResolvedScenario | undefined): FileLimit {
  if (!scenario) return { bytes: MAX_TEXT_FILE_BYTES };
  const sweep = Object.entries(scenario.sweep ?? {});
  const runs = Math.min(MAX_RUNS, sweep.reduce((n, [, values]) => n * values.length, 1) * scenario.replicates);
  const fixed = ['run', 'replicate', 'seed', 'mean_loss', 'elapsedMs', ...PARTICLE_CLASSES, ...PARTICLE_CLASSES.map((c) => `fraction.${c}`)];
  const entry = (key: string, valueChars: number) => 2 * key.length + valueChars + 16; // "key": value, indented (JSON); the column (CSV)
  const swept = sweep.reduce((sum, [key, values]) => sum + entry(key, Math.max(...values.map(valueChars))), 0);
  const row = fixed.reduce((sum, key) => sum + entry(key, key === 'run' ? 2 * RUN_ID_CHARS : NUMBER_CHARS), swept) + 16;
  return { bytes: runs * row + SLACK, why: `${formatCount(runs)} runs × ${formatCount(row)} bytes` };
}

/** Characters a swept value takes at most: in runs.json, pretty-printed two levels deep; in runs.csv, compact with its quotes doubled. */
function valueChars(value: unknown): number {
  const pretty = JSON.stringify(value, null, 2) ?? 'null';
  const compact = JSON.stringify(value) ?? 'null';
  return Math.max(pretty.length + 4 * pretty.split('\n').length, 2 * compact.length + 2);
}
