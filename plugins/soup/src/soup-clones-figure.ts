import { injectable } from 'inversify';
import { z } from 'zod';
import type { Figure, ResolvedScenario } from '@srnn/core';
import { DISTANCES, levelLabel, MOVEMENTS, readTable, runLabel, VEGA_LITE_SCHEMA, type DistanceName } from '@srnn/analysis';
import { writeFigure, type TopLevelSpec } from '@srnn/plot';

/** A row of soup-clones.json as the figure reads it. */
interface SoupCloneRow {
  readonly level: number;
  readonly movement: string;
  readonly [column: string]: unknown;
}

const MOVEMENT_COLOURS = ['#2ca02c', '#d62728', '#8c8c8c']; // approaching, distancing, stationary

const optionsSchema = z
  .object({
    title: z.string().optional().describe('figure title'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file base name: letters, digits, . _ -')
      .optional()
      .describe('base name of the files written (default: soup-clones)'),
    distance: z.enum(DISTANCES).optional().describe("the distance that decides the movement (default: the soup's clones.distance)"),
  })
  .strict();

/** Clones of a soup approaching, distancing from or stationary to their parent, counted per noise level (soup-clones.json). */
@injectable()
export class SoupClonesFigure implements Figure<typeof optionsSchema> {
  readonly type = 'soup-clones';
  readonly description = "a soup's clones approaching, distancing from or stationary to their parent, counted per noise level (soup-clones.json)";
  readonly optionsSchema = optionsSchema;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, parsed: z.output<typeof optionsSchema>): Promise<string[]> {
    const rows = readTable<SoupCloneRow>(dir, 'soup-clones');
    if (!rows || rows.length === 0) return [];
    const configured = (scenario.experiment?.clones as { distance?: DistanceName } | undefined)?.distance;
    const d = parsed.distance ?? configured ?? 'mim';
    const column = parsed.distance ? `movement_${d}` : 'movement';
    const levels = [...new Set(rows.map((r) => r.level))].sort((a, b) => b - a);
    const label = (level: number) => (level === 0 ? '0' : levelLabel(level));
    const values = levels.flatMap((level) => MOVEMENTS.map((m) => ({ level: label(level), movement: m, clones: rows.filter((r) => r.level === level && r[column] === m).length })));
    const spec: TopLevelSpec = {
      $schema: VEGA_LITE_SCHEMA,
      title: {
        text: parsed.title ?? 'soup with clones: movement relative to the parent',
        subtitle: [runLabel(scenario), `${d.toUpperCase()} to the parent's weights at the spawn, after the soup vs right after the spawn`],
      },
      width: Math.max(360, 60 * levels.length),
      height: 260,
      data: { values },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'level', type: 'ordinal', sort: levels.map(label), title: 'noise level', axis: { labelAngle: 0 } },
        y: { field: 'clones', type: 'quantitative', stack: 'zero', title: 'clones' },
        color: { field: 'movement', type: 'nominal', title: null, scale: { domain: [...MOVEMENTS], range: MOVEMENT_COLOURS }, legend: { orient: 'top' } },
        order: { field: 'movement', sort: 'ascending' },
      },
    };
    return writeFigure(dir, parsed.name ?? this.type, spec);
  }
}
