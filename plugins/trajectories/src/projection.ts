import { levelLabel, Pca, type TrajectorySet } from '@srnn/analysis';

/** A trajectory in the plane of a shared PCA: coordinates on the first two components per step. */
export interface ProjectedTrajectory {
  readonly id: number;
  readonly role: string;
  readonly parent: number;
  /** The legend entry it is drawn under: its role, with its group when it has one ("clone 1e-3"). */
  readonly series: string;
  readonly class: string | null;
  readonly steps: readonly number[];
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export interface Projection {
  readonly pca: Pca;
  readonly trajectories: readonly ProjectedTrajectory[];
  /** Legend entries in drawing order: roles in order of first appearance, groups by decreasing value. */
  readonly series: readonly string[];
}

/** Fits one PCA (two components) on every row of every trajectory and projects each trajectory onto it. */
export function projectTrajectories(set: TrajectorySet): Projection {
  const W = set.weightCount;
  const pca = Pca.fit(
    set.trajectories.map((t) => t.weights),
    W,
    2,
  );
  const trajectories = set.trajectories.map((t) => {
    const projected = pca.project(t.weights);
    const n = t.steps.length;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      x[k] = projected[k * pca.size];
      y[k] = pca.size > 1 ? projected[k * pca.size + 1] : 0;
    }
    return { id: t.id, role: t.role, parent: t.parent, series: seriesOf(t.role, t.group), class: t.class, steps: t.steps, x, y };
  });
  const roles = [...new Set(set.trajectories.map((t) => t.role))];
  const series = roles.flatMap((role) => {
    const groups = [...new Set(set.trajectories.filter((t) => t.role === role).map((t) => t.group))];
    groups.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? b - a : String(a).localeCompare(String(b))));
    return groups.map((g) => seriesOf(role, g));
  });
  return { pca, trajectories, series };
}

function seriesOf(role: string, group: number | string | null): string {
  if (group === null) return role;
  return `${role} ${typeof group === 'number' ? levelLabel(group) : group}`;
}

/** Indices of at most `max` rows of an n-row trajectory, evenly spaced, always the first and the last. */
export function thinned(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  const out = new Set<number>();
  for (let i = 0; i < max; i++) out.add(Math.round((i * (n - 1)) / (max - 1)));
  return [...out];
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#aec7e8', '#ffbb78', '#98df8a'];

/** One colour per legend entry: parents (a role without group named "parent") dark grey, others from a fixed palette. */
export function seriesColours(series: readonly string[]): string[] {
  let next = 0;
  return series.map((s) => (s === 'parent' ? '#333333' : PALETTE[next++ % PALETTE.length]));
}

/** Axis title of component c with its share of the variance. */
export function axisTitle(pca: Pca, c: number): string {
  const share = pca.explainedVarianceRatio[c];
  return `PC${c + 1}${share !== undefined ? ` (${(100 * share).toFixed(1)} %)` : ''}`;
}
