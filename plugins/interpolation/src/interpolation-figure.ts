import { injectable } from 'inversify';
import { z } from 'zod';
import type { Figure, ResolvedScenario } from '@srnn/core';
import { readTable, runLabel, VEGA_LITE_SCHEMA } from '@srnn/analysis';
import { writeFigure, type TopLevelSpec } from '@srnn/plot';

const optionsSchema = z
  .object({
    title: z.string().optional().describe('figure title (default: interpolation between fixpoints)'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .optional()
      .describe('base name of the files written (default: interpolation)'),
  })
  .strict();

export interface InterpolationRow {
  readonly pair: number;
  readonly t: number;
  readonly pair_distance: number | null;
  readonly normalised_before: number | null;
  readonly normalised_after: number | null;
}

/** PAPER.md §4.6: normalised distance to the first fixpoint after training against before, with the diagonal, coloured by the pair's distance. */
@injectable()
export class InterpolationFigure implements Figure<typeof optionsSchema> {
  readonly type = 'interpolation';
  readonly description = 'points between two fixpoints: normalised distance to the first after vs before self-training, diagonal for reference, coloured by the pair distance (interpolation.json)';
  readonly optionsSchema = optionsSchema;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, options: z.output<typeof optionsSchema>): Promise<string[]> {
    const rows = readTable<InterpolationRow>(dir, 'interpolation');
    if (!rows || rows.length === 0) return [];
    const { title, name } = options;
    return writeFigure(dir, name ?? this.type, interpolationSpec(rows, scenario, title));
  }
}

export function interpolationSpec(rows: readonly InterpolationRow[], scenario: ResolvedScenario, title = 'interpolation between fixpoints'): TopLevelSpec {
  const values = rows
    .filter((r) => [r.normalised_before, r.normalised_after, r.pair_distance].every((v) => typeof v === 'number' && Number.isFinite(v)))
    .map((r) => ({ pair: r.pair, t: r.t, before: r.normalised_before, after: r.normalised_after, pair_distance: r.pair_distance }));
  const dropped = rows.length - values.length;
  const high = Math.max(1, ...values.map((v) => Math.max(v.before!, v.after!)));
  const distance = typeof scenario.experiment?.distance === 'string' ? scenario.experiment.distance.toUpperCase() : 'MAE';
  const pairs = new Set(rows.map((r) => r.pair)).size;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: title,
      subtitle: [runLabel(scenario), `${pairs} pairs; ${distance} to the first fixpoint ÷ ${distance} between the pair${dropped ? `; ${dropped} diverged points not shown` : ''}`],
    },
    width: 420,
    height: 420,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: high, y: high },
          ],
        },
        mark: { type: 'line', color: '#888888', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 30, opacity: 0.8 },
        encoding: {
          x: { field: 'before', type: 'quantitative', title: 'normalised distance to the first, before', scale: { domain: [0, high] } },
          y: { field: 'after', type: 'quantitative', title: 'normalised distance to the first, after', scale: { domain: [0, high] } },
          color: { field: 'pair_distance', type: 'quantitative', title: `pair ${distance}`, scale: { scheme: 'viridis' } },
          tooltip: [{ field: 'pair' }, { field: 't' }, { field: 'before' }, { field: 'after' }],
        },
      },
    ],
  } as TopLevelSpec;
}
