import { injectable } from 'inversify';
import { z } from 'zod';
import { floatsProblem, PARTICLE_CLASSES, type CheckContext, type CheckpointState, type Experiment, type ExperimentContext, type ScenarioIssue } from '@srnn/core';
import {
  checkFixpointSource,
  DISTANCES,
  distanceFunctions,
  emitTable,
  fixpointsSourceSchema,
  fixpointsState,
  obtainFixpoints,
  restoreFixpoints,
  SelfTrainer,
  sourceWork,
  trainingShape,
  type DistanceName,
  type TableCell,
} from '@srnn/analysis';

/**
 * What an interpolation run saves at a checkpoint (unit: steps — of the source's self-training,
 * then of the points): while the source trains, its state; then the fixpoints, the points' weights,
 * their distances before and their momentum.
 */
type InterpolationState =
  | { readonly phase: 'source'; readonly source: CheckpointState }
  | {
      readonly phase: 'points';
      readonly step: number;
      readonly fixpoints: CheckpointState;
      readonly data: Float32Array;
      readonly before: { readonly [distance: string]: Float64Array };
      readonly momentum: Float32Array | null;
    };

export const INTERPOLATION_TABLES = ['interpolation', 'interpolation-pairs'] as const;

const optionsSchema = z
  .object({
    fixpoints: fixpointsSourceSchema
      .default({ train: { steps: 2500, lr: 0.04, momentum: 0, batch: 'full' } })
      .describe('the fixpoints paired up: population | { file: weights.json } | { train: { steps, lr, momentum, batch } }'),
    pairs: z
      .union([z.literal('all'), z.number().int().positive()])
      .default('all')
      .describe('all pairs (i < j) of the fixpoints in order, or at most this many of them'),
    points: z.number().int().min(1).default(25).describe('points per pair: t = 0, 1/points, …, (points−1)/points of the way from the first to the second'),
    steps: z.number().int().min(0).default(2000).describe('self-training steps of every point'),
    ...trainingShape,
    distance: z.enum(DISTANCES).default('mae').describe("the distance normalised by the pair's distance (all three are recorded)"),
  })
  .strict();
type InterpolationOptions = z.output<typeof optionsSchema>;

/**
 * PAPER.md §4.6, interpolation between fixpoints. For every pair (A, B) of fixpoints (i < j, in the
 * order of the source), `points` evenly spaced vectors A + t·(B − A), t = k/points (A itself
 * included, B not), all self-train `steps` steps together. Each point's distance to A before and
 * after, divided by the distance between A and B, shows where the basins meet.
 *
 * Results: interpolation (every point) and interpolation-pairs, each as .csv and .json.
 */
@injectable()
export class InterpolationExperiment implements Experiment<typeof optionsSchema> {
  readonly type = 'interpolation';
  readonly description = 'self-train evenly spaced points on the line between pairs of fixpoints and compare their normalised distance to the first before and after';
  readonly optionsSchema = optionsSchema;
  /** Self-training steps of a `train` source, then of the points. */
  readonly checkpointUnit = 'steps';

  totalWork(options: InterpolationOptions): number {
    const { fixpoints, steps } = options;
    return sourceWork(fixpoints) + steps;
  }

  /** The fixpoint source, and whether the points of every pair fit (pairs × points). */
  check(options: InterpolationOptions, context: CheckContext): readonly ScenarioIssue[] {
    const { network } = context;
    const source = checkFixpointSource(options.fixpoints, ['experiment', 'fixpoints'], context);
    if (source.issues.length > 0) return source.issues;
    const F = source.maxCount;
    const pairs = Math.min((F * (F - 1)) / 2, options.pairs === 'all' ? Infinity : options.pairs);
    const points = floatsProblem(pairs * options.points, network.weightCount, 'points (pairs × points)');
    return points ? [{ path: ['experiment', 'points'], message: points }] : [];
  }

  async run(context: ExperimentContext, options: InterpolationOptions): Promise<void> {
    const source = options.fixpoints;
    const total = this.totalWork(options);
    const offset = sourceWork(source);
    const W = context.network.weightCount;
    const restored = context.restored as InterpolationState | undefined;
    const pointsFrom = restored?.phase === 'points' ? restored : undefined;
    const fixpoints = pointsFrom
      ? restoreFixpoints(pointsFrom.fixpoints)
      : await obtainFixpoints(context, source, total, ['experiment', 'fixpoints'], {
          restored: restored?.phase === 'source' ? restored.source : undefined,
          checkpoint: (done, state) => context.checkpoint(done, (): InterpolationState => ({ phase: 'source', source: state() })),
        });
    const row = (f: number) => fixpoints.weights.subarray(f * W, (f + 1) * W);

    const pairs: [number, number][] = [];
    for (let i = 0; i < fixpoints.count; i++) for (let j = i + 1; j < fixpoints.count; j++) pairs.push([i, j]);
    if (options.pairs !== 'all') pairs.splice(options.pairs);
    const K = options.points;
    const N = pairs.length * K;
    const data = pointsFrom?.data ?? new Float32Array(N * W);
    if (!pointsFrom) {
      pairs.forEach(([a, b], p) => {
        const A = row(a);
        const B = row(b);
        for (let k = 0; k < K; k++) {
          const t = k / K;
          const out = data.subarray((p * K + k) * W, (p * K + k + 1) * W);
          for (let i = 0; i < W; i++) out[i] = A[i] + t * (B[i] - A[i]);
        }
      });
    }
    const toFirst = (d: DistanceName, n: number) => distanceFunctions[d](data.subarray(n * W, (n + 1) * W), row(pairs[Math.floor(n / K)][0]));
    const toSecond = (d: DistanceName, n: number) => distanceFunctions[d](data.subarray(n * W, (n + 1) * W), row(pairs[Math.floor(n / K)][1]));
    const before = (pointsFrom?.before ?? Object.fromEntries(DISTANCES.map((d) => [d, Float64Array.from({ length: N }, (_, n) => toFirst(d, n))]))) as Record<DistanceName, Float64Array>;

    const index = Int32Array.from({ length: N }, (_, n) => n);
    const trainer = new SelfTrainer(context, data, index, options);
    if (pointsFrom) trainer.restoreMomentum(pointsFrom.momentum);
    for (let s = (pointsFrom?.step ?? 0) + 1; s <= options.steps; s++) {
      if (N > 0) trainer.step(context);
      await context.progress(offset + s, total);
      await context.checkpoint(offset + s, (): InterpolationState => ({ phase: 'points', step: s, fixpoints: fixpointsState(fixpoints), data, before, momentum: trainer.momentum }));
    }
    const after = Object.fromEntries(DISTANCES.map((d) => [d, Float64Array.from({ length: N }, (_, n) => toFirst(d, n))])) as Record<DistanceName, Float64Array>;
    const classes = N > 0 ? context.classify({ data, index }) : new Uint8Array(0);
    const pairDistance = (d: DistanceName, p: number) => distanceFunctions[d](row(pairs[p][0]), row(pairs[p][1]));
    const d = options.distance;

    emitTable(context, {
      name: 'interpolation',
      columns: [
        'pair',
        'first_uid',
        'second_uid',
        'point',
        't',
        'pair_distance',
        'normalised_before',
        'normalised_after',
        'normalised_to_second_after',
        ...DISTANCES.flatMap((x) => [`${x}_before`, `${x}_after`]),
        'class',
      ],
      rows: Array.from({ length: N }, (_, n) => {
        const p = Math.floor(n / K);
        const span = pairDistance(d, p);
        return [
          p,
          fixpoints.origins[pairs[p][0]].uid,
          fixpoints.origins[pairs[p][1]].uid,
          n % K,
          (n % K) / K,
          span,
          before[d][n] / span,
          after[d][n] / span,
          toSecond(d, n) / span,
          ...DISTANCES.flatMap((x) => [before[x][n], after[x][n]]),
          PARTICLE_CLASSES[classes[n]],
        ] as TableCell[];
      }),
    });
    emitTable(context, {
      name: 'interpolation-pairs',
      columns: ['pair', 'first_uid', 'second_uid', ...DISTANCES, 'towards_first', 'away_from_first', 'unmoved'],
      rows: pairs.map(([a, b], p) => {
        const members = Array.from({ length: K }, (_, k) => p * K + k);
        return [
          p,
          fixpoints.origins[a].uid,
          fixpoints.origins[b].uid,
          ...DISTANCES.map((x) => pairDistance(x, p)),
          members.filter((n) => after[d][n] < before[d][n]).length,
          members.filter((n) => after[d][n] > before[d][n] || !Number.isFinite(after[d][n])).length,
          members.filter((n) => after[d][n] === before[d][n]).length,
        ];
      }),
    });
  }
}
