import { injectable } from 'inversify';
import { z } from 'zod';
import type { Figure, ResolvedScenario } from '@srnn/core';
import { levelLabel, readTable, runLabel, VEGA_LITE_SCHEMA } from '@srnn/analysis';
import { writeFigure, type TopLevelSpec } from '@srnn/plot';

const optionsSchema = z
  .object({
    title: z.string().optional().describe('figure title (default: robustness to noise)'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .optional()
      .describe('base name of the files written (default: robustness)'),
  })
  .strict();

export interface RobustnessTrialRow {
  readonly level: number;
  readonly time_to_vergence: number;
  readonly time_as_fixpoint: number;
}

const MEASURES = ['time to vergence', 'time as fixpoint'] as const;
const COLOURS = ['#4c78a8', '#2ca02c'];

/** PAPER.md §4.4's box plot: per noise level, the spread of time to vergence and of time as fixpoint, means marked. */
@injectable()
export class RobustnessFigure implements Figure<typeof optionsSchema> {
  readonly type = 'robustness';
  readonly description = 'box plots per noise level of time to vergence and time as fixpoint, means as diamonds (robustness-trials.json)';
  readonly optionsSchema = optionsSchema;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, options: z.output<typeof optionsSchema>): Promise<string[]> {
    const rows = readTable<RobustnessTrialRow>(dir, 'robustness-trials');
    if (!rows || rows.length === 0) return [];
    const { title, name } = options;
    return writeFigure(dir, name ?? this.type, robustnessSpec(rows, scenario, title));
  }
}

export function robustnessSpec(rows: readonly RobustnessTrialRow[], scenario: ResolvedScenario, title = 'robustness to noise'): TopLevelSpec {
  const levels = [...new Set(rows.map((r) => r.level))].sort((a, b) => b - a);
  const values = rows.flatMap((r) => [
    { level: levelLabel(r.level), measure: MEASURES[0], steps: r.time_to_vergence },
    { level: levelLabel(r.level), measure: MEASURES[1], steps: r.time_as_fixpoint },
  ]);
  const perLevel = rows.length / levels.length;
  const x = { field: 'level', type: 'ordinal', sort: levels.map(levelLabel), title: 'noise level', axis: { labelAngle: 0 } } as const;
  const colour = { field: 'measure', type: 'nominal', scale: { domain: [...MEASURES], range: COLOURS }, title: null, legend: { orient: 'top' } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: [runLabel(scenario), `${Math.round(perLevel)} trials per level; boxes: quartiles, whiskers: min–max, ◆ mean`] },
    width: Math.max(360, 56 * levels.length),
    height: 300,
    data: { values },
    encoding: { x, xOffset: { field: 'measure', sort: [...MEASURES] }, color: colour },
    layer: [
      {
        mark: { type: 'boxplot', extent: 'min-max', size: 18, median: { color: 'black' } },
        encoding: { y: { field: 'steps', type: 'quantitative', title: 'self-applications' } },
      },
      {
        mark: { type: 'point', shape: 'diamond', filled: true, size: 45, color: 'black' },
        encoding: { y: { field: 'steps', type: 'quantitative', aggregate: 'mean' }, color: { value: 'black' } },
      },
    ],
  } as TopLevelSpec;
}
