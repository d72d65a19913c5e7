import { basename, join } from 'node:path';
import { injectable } from 'inversify';
import { z } from 'zod';
import type { Figure, ResolvedScenario } from '@srnn/core';
import { writeFileAtomic } from '@srnn/runner';
import { readTrajectories, runLabel, sweepRunDirectories, trajectoriesFromSnapshots, VEGA_LITE_SCHEMA, type TrajectorySet } from '@srnn/analysis';
import { writeFigure, type TopLevelSpec } from '@srnn/plot';
import { axisTitle, projectTrajectories, seriesColours, thinned, type Projection } from './projection';
import { trajectoriesHtml } from './trajectories-html';

const optionsSchema = z
  .object({
    title: z.string().optional().describe('figure title (default: trajectories in a shared PCA)'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .optional()
      .describe('base name of the files written (default: trajectories)'),
    source: z.enum(['auto', 'trajectories', 'snapshots']).default('auto').describe("trajectories.json (e.g. the clones experiment), a soup's snapshots.json, or auto: the first of these that exists"),
    maxPoints: z.number().int().min(2).default(100).describe('rows drawn per trajectory at most in the 3D page (evenly thinned)'),
    maxPoints2d: z.number().int().min(2).default(25).describe('rows drawn per trajectory at most in the 2D figure'),
  })
  .strict();

/**
 * PAPER.md §4's signature figure: weight trajectories in one PCA fitted on all of them. Writes
 * `<name>.html` (interactive 3D: two PCA axes and the step, start red, end black; plotly inlined,
 * opens offline) and the 2D view `<name>.svg`/`.png`/`.vl.json` (PC1 against PC2). Drawn
 * automatically for results with trajectories.json; a soup's snapshots are drawn when listed. A
 * sweep of replicates only (nothing else varied) draws its first replicate's trajectories.
 */
@injectable()
export class TrajectoriesFigure implements Figure<typeof optionsSchema> {
  readonly type = 'trajectories';
  readonly description = "weight trajectories in a shared PCA: interactive 3D HTML (PCA axes and time) and a 2D PNG (trajectories.json, or a soup's snapshots.json when listed)";
  readonly optionsSchema = optionsSchema;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, parsed: z.output<typeof optionsSchema>): Promise<string[]> {
    const listed = (scenario.figures ?? []).some((f) => f.type === this.type);
    const replicate = loadSet(dir, parsed.source, listed) ? undefined : firstReplicate(dir, scenario, parsed.source, listed);
    const set = replicate?.set ?? loadSet(dir, parsed.source, listed);
    if (!set || set.trajectories.length === 0 || set.trajectories.every((t) => t.steps.length === 0)) return [];
    const name = parsed.name ?? this.type;
    const title = parsed.title ?? 'trajectories in a shared PCA';
    const projection = projectTrajectories(set);
    const which = replicate ? `; run ${replicate.run} (the first of ${replicate.of} replicates)` : '';
    const subtitle = `${runLabel(scenario)}${which}; ${set.trajectories.length} trajectories; start red, end black`;
    const html = join(dir, `${name}.html`);
    writeFileAtomic(html, trajectoriesHtml(projection, { title, subtitle, maxPoints: parsed.maxPoints }));
    const files = await writeFigure(dir, name, trajectoriesSpec(projection, title, subtitle, parsed.maxPoints2d));
    return [html, ...files];
  }
}

/** The trajectories of a sweep's first run, when the sweep only repeats one combination (replicates). */
function firstReplicate(dir: string, scenario: ResolvedScenario, source: 'auto' | 'trajectories' | 'snapshots', listed: boolean) {
  if (Object.values(scenario.sweep ?? {}).some((values) => values.length > 1)) return undefined;
  const runs = sweepRunDirectories(dir);
  if (!runs || runs.length === 0) return undefined;
  const set = loadSet(runs[0], source, listed);
  return set ? { set, run: basename(runs[0]), of: runs.length } : undefined;
}

/** Soup snapshots only when the figure is listed (or asked for): soups draw their own figures otherwise. */
function loadSet(dir: string, source: 'auto' | 'trajectories' | 'snapshots', listed: boolean): TrajectorySet | undefined {
  if (source === 'trajectories') return readTrajectories(dir);
  if (source === 'snapshots') return trajectoriesFromSnapshots(dir);
  return readTrajectories(dir) ?? (listed ? trajectoriesFromSnapshots(dir) : undefined);
}

/** The 2D view: every trajectory as a line in the PC1–PC2 plane, coloured by series, start red, end black. */
export function trajectoriesSpec(projection: Projection, title: string, subtitle: string, maxPoints: number): TopLevelSpec {
  const lines: Record<string, unknown>[] = [];
  const marks: Record<string, unknown>[] = [];
  projection.trajectories.forEach((t, index) => {
    const rows = thinned(t.steps.length, maxPoints);
    for (const k of rows) {
      if (Number.isFinite(t.x[k]) && Number.isFinite(t.y[k])) lines.push({ trajectory: index, series: t.series, step: t.steps[k], pc1: round(t.x[k]), pc2: round(t.y[k]) });
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (first !== undefined && Number.isFinite(t.x[first])) marks.push({ trajectory: index, at: 'start', pc1: round(t.x[first]), pc2: round(t.y[first]) });
    if (last !== undefined && Number.isFinite(t.x[last])) marks.push({ trajectory: index, at: 'end', pc1: round(t.x[last]), pc2: round(t.y[last]) });
  });
  const x = { field: 'pc1', type: 'quantitative', title: axisTitle(projection.pca, 0), scale: { zero: false } } as const;
  const y = { field: 'pc2', type: 'quantitative', title: axisTitle(projection.pca, 1), scale: { zero: false } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle },
    width: 520,
    height: 420,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1, opacity: 0.8 },
        encoding: {
          x,
          y,
          detail: { field: 'trajectory', type: 'nominal' },
          order: { field: 'step', type: 'quantitative' },
          color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...projection.series], range: seriesColours(projection.series) } },
        },
      },
      {
        data: { values: marks },
        mark: { type: 'point', filled: true, size: 14, opacity: 0.75 },
        encoding: {
          x,
          y,
          color: { field: 'at', type: 'nominal', title: null, scale: { domain: ['start', 'end'], range: ['#d62728', '#000000'] } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

/** 7 significant digits, as much as float32 weights carry: keeps the spec small. */
function round(v: number): number {
  return Number(v.toPrecision(7));
}
