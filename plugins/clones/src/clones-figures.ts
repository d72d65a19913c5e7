import { injectable } from 'inversify';
import { z } from 'zod';
import type { Figure, ResolvedScenario } from '@srnn/core';
import { DISTANCES, levelLabel, MOVEMENTS, readRunTables, readTable, runLabel, VEGA_LITE_SCHEMA, type DistanceName } from '@srnn/analysis';
import { extent, writeFigure, type TopLevelSpec } from '@srnn/plot';

/** A row of clones.json as the figures read it. */
export interface CloneRow {
  readonly level: number;
  readonly movement: string;
  readonly [column: string]: unknown;
}

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
  .optional()
  .describe('base name of the files written (default: the figure type)');
const distance = z.enum(DISTANCES).optional().describe("the distance shown (default: the experiment's `distance`)");

const movementOptions = z.object({ title: z.string().optional(), name, distance }).strict();
const distancesOptions = z.object({ title: z.string().optional(), name, distance }).strict();
const lossOptions = z.object({ title: z.string().optional(), name }).strict();

const MOVEMENT_COLOURS = ['#2ca02c', '#d62728', '#8c8c8c'];

function runDistance(scenario: ResolvedScenario, chosen: DistanceName | undefined): DistanceName {
  const configured = scenario.experiment?.distance;
  return chosen ?? ((DISTANCES as readonly unknown[]).includes(configured) ? (configured as DistanceName) : 'mim');
}

const levelsOf = (rows: readonly { level: number }[]) => [...new Set(rows.map((r) => r.level))].sort((a, b) => b - a);

/**
 * A table of a clones run, or of every replicate of a sweep of clones runs: `runs` holds one entry
 * per run (one for a run's own directory). A sweep that varies anything besides the replicate is
 * not pooled (undefined): its runs are different experiments.
 */
function tablesOf<T>(dir: string, scenario: ResolvedScenario, name: string): { run: string; rows: T[] }[] | undefined {
  const own = readTable<T>(dir, name);
  if (own) return [{ run: '', rows: own }];
  if (Object.values(scenario.sweep ?? {}).some((values) => values.length > 1)) return undefined;
  const runs = readRunTables<T>(dir, name);
  return runs && runs.length > 0 ? runs : undefined;
}

/** Subtitle words for a pooled sweep: `; 5 replicates pooled` (nothing for a single run). */
const pooled = (runs: readonly unknown[]) => (runs.length > 1 ? `; ${runs.length} replicates pooled` : '');

/** Counts of approaching, distancing and stationary clones per noise level (PAPER.md §4.5). */
@injectable()
export class ClonesMovementFigure implements Figure<typeof movementOptions> {
  readonly type = 'clones-movement';
  readonly description = 'clones approaching, distancing from or stationary to their parent, counted per noise level (clones.json)';
  readonly optionsSchema = movementOptions;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, parsed: z.output<typeof movementOptions>): Promise<string[]> {
    const runs = tablesOf<CloneRow>(dir, scenario, 'clones');
    if (!runs || runs.every((r) => r.rows.length === 0)) return [];
    const d = runDistance(scenario, parsed.distance);
    const column = parsed.distance ? `movement_${d}` : 'movement';
    const levels = levelsOf(runs.flatMap((r) => r.rows));
    const count = (rows: readonly CloneRow[], level: number, m: string) => rows.filter((r) => r.level === level && r[column] === m).length;
    if (runs.length > 1) return writeFigure(dir, parsed.name ?? this.type, replicatedMovementSpec(runs, levels, count, d, parsed.title, scenario));
    const [{ rows }] = runs;
    const values = levels.flatMap((level) => MOVEMENTS.map((m) => ({ level: levelLabel(level), movement: m, clones: count(rows, level, m) })));
    const spec: TopLevelSpec = {
      $schema: VEGA_LITE_SCHEMA,
      title: {
        text: parsed.title ?? 'clones: movement relative to the parent',
        subtitle: [runLabel(scenario), `distance: ${d.toUpperCase()} to the parent's weights at the spawn, before vs after training`],
      },
      width: Math.max(320, 44 * levels.length),
      height: 260,
      data: { values },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'level', type: 'ordinal', sort: levels.map(levelLabel), title: 'noise level', axis: { labelAngle: 0 } },
        y: { field: 'clones', type: 'quantitative', stack: 'zero', title: 'clones' },
        color: { field: 'movement', type: 'nominal', title: null, scale: { domain: [...MOVEMENTS], range: MOVEMENT_COLOURS }, legend: { orient: 'top' } },
        order: { field: 'movement', sort: 'ascending' },
      },
    };
    return writeFigure(dir, parsed.name ?? this.type, spec);
  }
}

/**
 * The movement counts of several replicates: per level and movement the mean count (bar) with
 * ± 1 sample standard deviation (rule) and every replicate's own count (dots), side by side.
 */
function replicatedMovementSpec(
  runs: readonly { run: string; rows: CloneRow[] }[],
  levels: readonly number[],
  count: (rows: readonly CloneRow[], level: number, m: string) => number,
  d: DistanceName,
  title: string | undefined,
  scenario: ResolvedScenario,
): TopLevelSpec {
  const dots = runs.flatMap(({ run, rows }) => levels.flatMap((level) => MOVEMENTS.map((m) => ({ level: levelLabel(level), movement: m, run, clones: count(rows, level, m) }))));
  const summary = levels.flatMap((level) =>
    MOVEMENTS.map((m) => {
      const counts = dots.filter((v) => v.level === levelLabel(level) && v.movement === m).map((v) => v.clones);
      const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
      const std = Math.sqrt(counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (counts.length - 1));
      return { level: levelLabel(level), movement: m, mean, std, low: Math.max(0, mean - std), high: mean + std };
    }),
  );
  const x = { field: 'level', type: 'ordinal', sort: levels.map(levelLabel), title: 'noise level', axis: { labelAngle: 0 } };
  const xOffset = { field: 'movement', sort: [...MOVEMENTS] };
  const color = { field: 'movement', type: 'nominal', title: null, scale: { domain: [...MOVEMENTS], range: MOVEMENT_COLOURS }, legend: { orient: 'top' } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: title ?? 'clones: movement relative to the parent',
      subtitle: [
        runLabel(scenario),
        `distance: ${d.toUpperCase()} to the parent's weights at the spawn, before vs after training`,
        `${runs.length} replicates (seeds): bars the mean, rules ± 1 std, dots each replicate`,
      ],
    },
    width: Math.max(360, 66 * levels.length),
    height: 260,
    encoding: { x, xOffset, color },
    layer: [
      { data: { values: summary }, mark: { type: 'bar', opacity: 0.55 }, encoding: { y: { field: 'mean', type: 'quantitative', title: 'clones per replicate' } } },
      { data: { values: summary }, mark: { type: 'rule', color: '#333333' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color: { value: '#333333' } } },
      { data: { values: dots }, mark: { type: 'point', filled: true, size: 14, opacity: 0.8 }, encoding: { y: { field: 'clones', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** Each clone's distance to its parent before and after training, box plots per noise level, log scale. */
@injectable()
export class ClonesDistancesFigure implements Figure<typeof distancesOptions> {
  readonly type = 'clones-distances';
  readonly description = "clones' distance to the parent before and after training, box plots per noise level, log scale (clones.json)";
  readonly optionsSchema = distancesOptions;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, parsed: z.output<typeof distancesOptions>): Promise<string[]> {
    const runs = tablesOf<CloneRow>(dir, scenario, 'clones');
    const rows = runs?.flatMap((r) => r.rows) ?? [];
    if (!runs || rows.length === 0) return [];
    const d = runDistance(scenario, parsed.distance);
    const levels = levelsOf(rows);
    const all = rows.flatMap((r) => [
      { level: levelLabel(r.level), when: 'before', distance: r[`${d}_before`] as number | null },
      { level: levelLabel(r.level), when: 'after', distance: r[`${d}_after`] as number | null },
    ]);
    const values = all.filter((v) => typeof v.distance === 'number' && v.distance > 0);
    const zeros = all.filter((v) => v.distance === 0).length;
    const missing = all.length - values.length - zeros;
    const notes = [zeros > 0 ? `${zeros} distances of 0 not shown (log scale)` : '', missing > 0 ? `${missing} non-finite not shown` : ''].filter(Boolean).join('; ');
    const spec = boxSpec({
      title: parsed.title ?? `clones: ${d.toUpperCase()} distance to the parent`,
      subtitle: [`${runLabel(scenario)}${pooled(runs)}`, `${d.toUpperCase()} to the parent's weights at the spawn; boxes: quartiles, whiskers: min–max`, ...(notes ? [notes] : [])],
      values,
      x: { field: 'level', sort: levels.map(levelLabel), title: 'noise level' },
      series: { field: 'when', domain: ['before', 'after'], range: ['#9ecae1', '#08519c'] },
      y: { field: 'distance', title: `${d.toUpperCase()} to parent` },
      count: levels.length,
    });
    return writeFigure(dir, parsed.name ?? this.type, spec);
  }
}

/** Replication loss (mean |N ◁ N − W|) of parents and of the clones per noise level after training, log scale. */
@injectable()
export class ClonesLossFigure implements Figure<typeof lossOptions> {
  readonly type = 'clones-loss';
  readonly description = 'replication loss of parents and of clones per noise level after training, box plots, log scale (clones.json, clones-parents.json)';
  readonly optionsSchema = lossOptions;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, parsed: z.output<typeof lossOptions>): Promise<string[]> {
    const runs = tablesOf<CloneRow>(dir, scenario, 'clones');
    const rows = runs?.flatMap((r) => r.rows) ?? [];
    const parents = tablesOf<{ loss_after: number | null; spawn_class: string; clones: number }>(dir, scenario, 'clones-parents')?.flatMap((r) => r.rows);
    if (!runs || !parents || rows.length === 0) return [];
    const levels = levelsOf(rows);
    const all = [
      ...parents.filter((p) => p.clones > 0).map((p) => ({ group: 'parents', who: 'parent', loss: p.loss_after })),
      ...rows.map((r) => ({ group: levelLabel(r.level), who: 'clone', loss: r.loss_after as number | null })),
    ];
    const values = all.filter((v) => typeof v.loss === 'number' && v.loss > 0);
    const dropped = all.length - values.length;
    const spec = boxSpec({
      title: parsed.title ?? 'replication loss of parents and clones',
      subtitle: [`${runLabel(scenario)}${pooled(runs)}`, `mean |N ◁ N − W| after training; parents: those that had clones${dropped ? `; ${dropped} losses of 0 or non-finite not shown` : ''}`],
      values,
      x: { field: 'group', sort: ['parents', ...levels.map(levelLabel)], title: 'parents, and clones by noise level' },
      series: { field: 'who', domain: ['parent', 'clone'], range: ['#333333', '#08519c'] },
      y: { field: 'loss', title: 'replication loss' },
      count: levels.length + 1,
      offset: false,
    });
    return writeFigure(dir, parsed.name ?? this.type, spec);
  }
}

interface BoxSpec {
  title: string;
  subtitle: string[];
  values: Record<string, unknown>[];
  x: { field: string; sort: string[]; title: string };
  series: { field: string; domain: string[]; range: string[] };
  y: { field: string; title: string };
  count: number;
  /** Boxes of one x side by side (true) or one box per x (false). */
  offset?: boolean;
}

function boxSpec(s: BoxSpec): TopLevelSpec {
  const positive = extent(s.values.map((v) => v[s.y.field] as number));
  const low = s.values.length > 0 ? Math.floor(Math.log10(positive.min)) : -1;
  const high = s.values.length > 0 ? Math.max(low + 1, Math.ceil(Math.log10(positive.max))) : 0;
  const decades = Array.from({ length: high - low + 1 }, (_, i) => Number(`1e${low + i}`));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: s.title, subtitle: s.subtitle },
    width: Math.max(320, 48 * s.count),
    height: 280,
    data: { values: s.values },
    mark: { type: 'boxplot', extent: 'min-max', size: 14, median: { color: 'white' } },
    encoding: {
      x: { field: s.x.field, type: 'ordinal', sort: s.x.sort, title: s.x.title, axis: { labelAngle: 0 } },
      ...(s.offset === false ? {} : { xOffset: { field: s.series.field, sort: s.series.domain } }),
      y: { field: s.y.field, type: 'quantitative', title: s.y.title, scale: { type: 'log', domain: [decades[0], decades[decades.length - 1]] }, axis: { values: decades, format: '.0e' } },
      color: { field: s.series.field, type: 'nominal', title: null, scale: { domain: s.series.domain, range: s.series.range }, legend: { orient: 'top' } },
    },
  } as TopLevelSpec;
}
