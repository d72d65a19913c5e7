import { injectable } from 'inversify';
import { z } from 'zod';
import type { Figure, ResolvedScenario } from '@srnn/core';
import { Pca, runLabel, trajectoriesFromSnapshots, VEGA_LITE_SCHEMA, type TrajectorySet } from '@srnn/analysis';
import { writeFigure, type TopLevelSpec } from '@srnn/plot';

const optionsSchema = z
  .object({
    title: z.string().optional().describe('figure title (default: soup trajectories in PCA space)'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file base name: letters, digits, . _ -')
      .optional()
      .describe('base name of the files written (default: soup-trajectories)'),
    maxParticles: z.number().int().min(1).default(40).describe('particles drawn at most, evenly spaced in uid order (the PCA is fitted on all of them)'),
    maxSnapshots: z.number().int().min(2).default(100).describe('snapshots drawn per particle at most, evenly spaced (the first and the last always)'),
  })
  .strict();
type SoupTrajectoriesOptions = z.infer<typeof optionsSchema>;

/**
 * A soup in weight space: one PCA (two components) fitted on every row of the run's snapshots
 * (snapshots.f32 + snapshots.json: every particle at every snapshot; divergent rows left out),
 * and each particle's path through it — one particle per uid, so a respawned or melted slot starts
 * a new path and an attacked particle jumps — drawn as segments coloured by epoch, its first
 * snapshot marked red and its last black. Large soups are thinned for drawing only: at most
 * `maxParticles` paths (evenly spaced in uid order, so early particles and newcomers alike), each
 * with at most `maxSnapshots` points. Drawn for every run with snapshots (a soup with `snapshotEvery`).
 */
@injectable()
export class SoupTrajectoriesFigure implements Figure<typeof optionsSchema> {
  readonly type = 'soup-trajectories';
  readonly description = "a soup's particles as paths in a PCA of all its weight snapshots, coloured by epoch, start red, end black (snapshots.json)";
  readonly optionsSchema = optionsSchema;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, parsed: z.output<typeof optionsSchema>): Promise<string[]> {
    const set = trajectoriesFromSnapshots(dir);
    if (!set) return [];
    const spec = soupTrajectoriesSpec(set, scenario, parsed);
    return spec ? writeFigure(dir, parsed.name ?? this.type, spec) : [];
  }
}

/** Indices of at most `max` of n items, evenly spaced, the first and the last included. */
export function evenlySpaced(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  if (max === 1) return [0];
  return [...new Set(Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1))))];
}

/** The spec, or undefined when no snapshot row is finite. */
export function soupTrajectoriesSpec(set: TrajectorySet, scenario: ResolvedScenario, options: Partial<SoupTrajectoriesOptions> = {}): TopLevelSpec | undefined {
  const W = set.weightCount;
  const pca = Pca.fit(
    set.trajectories.map((t) => t.weights),
    W,
    2,
  );
  if (pca.fittedRows === 0) return undefined;
  const byUid = [...set.trajectories].sort((a, b) => a.id - b.id);
  const drawn = evenlySpaced(byUid.length, options.maxParticles ?? 40).map((k) => byUid[k]);
  const segments: Record<string, number>[] = [];
  const ends: Record<string, number | string>[] = [];
  for (const t of drawn) {
    const xy = pca.project(t.weights);
    const k = pca.size;
    const rows = evenlySpaced(t.steps.length, options.maxSnapshots ?? 100).filter((r) => Number.isFinite(xy[r * k]));
    if (rows.length === 0) continue;
    const at = (r: number) => ({ pc1: round(xy[r * k]), pc2: k > 1 ? round(xy[r * k + 1]) : 0 });
    for (let i = 1; i < rows.length; i++) {
      const from = at(rows[i - 1]);
      const to = at(rows[i]);
      segments.push({ particle: t.id, epoch: t.steps[rows[i]], pc1: from.pc1, pc2: from.pc2, pc1b: to.pc1, pc2b: to.pc2 });
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    ends.push({ particle: t.id, at: 'start', epoch: t.steps[first], ...at(first) });
    ends.push({ particle: t.id, at: 'end', epoch: t.steps[last], ...at(last) });
  }
  const axis = (c: number) => {
    const share = pca.explainedVarianceRatio[c];
    return `PC${c + 1}${share !== undefined ? ` (${(100 * share).toFixed(1)} %)` : ''}`;
  };
  const x = { field: 'pc1', type: 'quantitative', title: axis(0), scale: { zero: false } } as const;
  const y = { field: 'pc2', type: 'quantitative', title: axis(1), scale: { zero: false } } as const;
  const shown = drawn.length < byUid.length ? `${drawn.length} of ${byUid.length} particles (evenly spaced by uid)` : `${byUid.length} particles`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? 'soup trajectories in PCA space',
      subtitle: [runLabel(scenario), `${shown}; PCA of all ${pca.fittedRows} snapshot rows; start red, end black`],
    },
    width: 520,
    height: 420,
    layer: [
      {
        data: { values: segments },
        mark: { type: 'rule', strokeWidth: 1.2, opacity: 0.85 },
        encoding: {
          x,
          y,
          x2: { field: 'pc1b' },
          y2: { field: 'pc2b' },
          color: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { scheme: 'viridis' } },
        },
      },
      {
        data: { values: ends },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: { field: 'at', type: 'nominal', title: null, scale: { domain: ['start', 'end'], range: ['#d62728', '#000000'] } },
          tooltip: [{ field: 'particle', title: 'uid' }, { field: 'at' }, { field: 'epoch' }],
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
