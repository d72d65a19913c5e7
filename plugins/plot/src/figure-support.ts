import type { ResolvedScenario } from '@srnn/core';
import { z } from 'zod';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Option `name`: the base name of a listed figure's files, so that a scenario can list one figure type twice. */
export const fileNameOption = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file base name: letters, digits, . _ -')
  .optional()
  .describe('base name of the files written (default: the figure type)');

/** Validates a figure's options (as listed in a scenario, with `type`), filling defaults. */
export function parseFigureOptions<S extends z.ZodObject>(schema: S, options: Record<string, unknown>): z.infer<S> {
  const { type: _type, ...rest } = options;
  return schema.parse(rest);
}

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
