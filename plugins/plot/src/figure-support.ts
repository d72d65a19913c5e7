import type { ResolvedScenario } from '@srnn/core';
import { z } from 'zod';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Option `name`: the base name of a listed figure's files, so that a scenario can list one figure type twice. */
export const fileNameOption = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file base name: letters, digits, . _ -')
  .optional()
  .describe('base name of the files written (default: the figure type)');

/** A one-line description of a run for subtitles: `quickstart: 100 × weightwise, self-train`. */
export function runLabel(scenario: ResolvedScenario): string {
  const what = `${scenario.population.size} × ${scenario.architecture.type}, ${scenario.experiment.type}`;
  return scenario.name ? `${scenario.name}: ${what}` : what;
}

/** Plain mean and sample standard deviation (0 for a single value). */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const squares = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, std: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0 };
}

/** Smallest and largest of the values (±Infinity for none), without spreading them into arguments (which overflows the stack beyond some 10⁵). */
export function extent(values: readonly number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * At most this many censuses of a run are drawn: some 4 per pixel of a 480 px wide figure. More
 * would only slow the drawing down and bloat the SVG (200 000 censuses take minutes).
 */
export const MAX_DRAWN_CENSUSES = 2000;

/**
 * The rows to draw of a long series: every `every`-th from the first, and the last, when there are
 * more than `max`; all of them otherwise (`every` 1). `note`: the subtitle line that says so, if any.
 */
export function thinned<T>(rows: readonly T[], max = MAX_DRAWN_CENSUSES): { readonly rows: readonly T[]; readonly every: number; readonly note: string[] } {
  if (rows.length <= max) return { rows, every: 1, note: [] };
  const every = Math.ceil((rows.length - 1) / (max - 1));
  const kept = rows.filter((_, i) => i % every === 0);
  if ((rows.length - 1) % every !== 0) kept.push(rows[rows.length - 1]);
  return { rows: kept, every, note: thinnedNote(kept.length, rows.length, every) };
}

/** The subtitle line that says a figure shows a thinned series, if it does. */
export function thinnedNote(shown: number, of: number, every: number): string[] {
  return every > 1 ? [`${shown} of ${of} censuses drawn (one in ${every})`] : [];
}
