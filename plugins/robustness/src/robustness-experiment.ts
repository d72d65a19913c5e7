import { injectable } from 'inversify';
import { z } from 'zod';
import { floatsProblem, PARTICLE_CLASSES, type CheckContext, type CheckpointState, type Experiment, type ExperimentContext, type ScenarioIssue } from '@srnn/core';
import { checkFixpointSource, decades, emitTable, fixpointSourceSchema, fixpointsState, obtainFixpoints, perturb, restoreFixpoints, sourceWork, type TableCell } from '@srnn/analysis';
import { runTrials, type TrialsState } from './robustness-trials';
import { TRIAL_ENDS } from './trial-clock';

export const ROBUSTNESS_TABLES = ['robustness-trials', 'robustness-levels', 'robustness-fixpoints'] as const;

const optionsSchema = z
  .object({
    fixpoints: fixpointSourceSchema.default('hand-made').describe('the fixpoints under test: hand-made | population | { file: weights.json } | { train: { steps, lr, momentum, batch } }'),
    levels: z.array(z.number().positive()).min(1).default(decades(0, -9)).describe('noise levels; each weight moves by ± U(0,1)·level'),
    trials: z.number().int().positive().default(100).describe('noisy copies per level and fixpoint'),
    maxSteps: z.number().int().positive().default(100).describe('self-applications at most per trial'),
  })
  .strict();
type RobustnessOptions = z.output<typeof optionsSchema>;

/**
 * PAPER.md §4.4, robustness to noise. Every fixpoint under test is copied `trials` times per noise
 * level, each copy perturbed (PAPER.md §3, the run's `noise` stream; fixpoint-major, then level,
 * then trial), and self-applied up to `maxSteps` times with the clocks of TrialClocks (time to
 * vergence, time as fixpoint). All still-active trials self-apply in one kernel call per step.
 *
 * Results: robustness-trials (every trial), robustness-levels (means and spread per level) and
 * robustness-fixpoints (the fixpoints tested), each as .csv and .json. With `hand-made` every
 * particle of the population becomes the hand-made fixpoint and is tested (population.size 1 for
 * the paper); `population` and `train` test the population's fixpoints (with `train`, censuses
 * cover the training); `{ file }` leaves the population alone. The trials never touch it.
 */
@injectable()
export class RobustnessExperiment implements Experiment<typeof optionsSchema> {
  readonly type = 'robustness';
  readonly description = 'perturb fixpoints with noise per level and count self-applications until zero or divergence (time to vergence) and while still a fixpoint (time as fixpoint)';
  readonly optionsSchema = optionsSchema;
  /** Self-training steps of a `train` source, then self-application steps of the trials. */
  readonly checkpointUnit = 'steps';

  totalWork(options: RobustnessOptions): number {
    const { fixpoints, maxSteps } = options;
    return sourceWork(fixpoints) + maxSteps;
  }

  /** The fixpoint source, and whether every trial's weights fit (fixpoints × levels × trials). */
  check(options: RobustnessOptions, context: CheckContext): readonly ScenarioIssue[] {
    const { network } = context;
    const source = checkFixpointSource(options.fixpoints, ['experiment', 'fixpoints'], context);
    if (source.issues.length > 0) return source.issues;
    const trials = floatsProblem(source.maxCount * options.levels.length * options.trials, network.weightCount, 'trials (fixpoints × levels × trials)');
    return trials ? [{ path: ['experiment', 'trials'], message: trials }] : [];
  }

  async run(context: ExperimentContext, options: RobustnessOptions): Promise<void> {
    const source = options.fixpoints;
    const total = this.totalWork(options);
    const offset = sourceWork(source);
    const W = context.network.weightCount;
    const { levels, trials } = options;
    const restored = context.restored as RobustnessState | undefined;
    const trialsFrom = restored?.phase === 'trials' ? restored : undefined;
    const { fixpoints, data, start } = trialsFrom
      ? { fixpoints: restoreFixpoints(trialsFrom.fixpoints), data: trialsFrom.data, start: trialsFrom.start }
      : await perturbedFixpoints(context, options, total, restored?.phase === 'source' ? restored.source : undefined);
    const count = start.length;

    const clocks = await runTrials(
      context.kernels,
      (batch, out) => context.classify(batch, out),
      data,
      W,
      options.maxSteps,
      async (step, where) => {
        await context.progress(offset + step, total);
        await context.checkpoint(offset + step, (): RobustnessState => ({ phase: 'trials', fixpoints: fixpointsState(fixpoints), data, start, trials: where() }));
      },
      trialsFrom?.trials,
    );
    await context.progress(total, total);

    const trialRows: TableCell[][] = [];
    for (let k = 0; k < count; k++) {
      const f = Math.floor(k / (levels.length * trials));
      const level = levels[Math.floor(k / trials) % levels.length];
      trialRows.push([f, fixpoints.origins[f].uid, level, k % trials, clocks.timeToVergence[k], clocks.timeAsFixpoint[k], clocks.endOf(k), PARTICLE_CLASSES[start[k]], clocks.rejoined[k] === 1]);
    }
    emitTable(context, {
      name: 'robustness-trials',
      columns: ['fixpoint', 'fixpoint_uid', 'level', 'trial', 'time_to_vergence', 'time_as_fixpoint', 'end', 'start_class', 'rejoined'],
      rows: trialRows,
    });
    emitTable(context, {
      name: 'robustness-levels',
      columns: [
        'level',
        'trials',
        'mean_time_to_vergence',
        'std_time_to_vergence',
        'median_time_to_vergence',
        'mean_time_as_fixpoint',
        'std_time_as_fixpoint',
        'median_time_as_fixpoint',
        ...TRIAL_ENDS.map((e) => `end_${e}`),
        'rejoined',
      ],
      rows: levels.map((level, l) => {
        const members: number[] = [];
        for (let f = 0; f < fixpoints.count; f++) for (let t = 0; t < trials; t++) members.push((f * levels.length + l) * trials + t);
        const ttv = members.map((k) => clocks.timeToVergence[k]);
        const taf = members.map((k) => clocks.timeAsFixpoint[k]);
        return [
          level,
          members.length,
          mean(ttv),
          std(ttv),
          median(ttv),
          mean(taf),
          std(taf),
          median(taf),
          ...TRIAL_ENDS.map((e) => members.filter((k) => clocks.endOf(k) === e).length),
          members.filter((k) => clocks.rejoined[k] === 1).length,
        ];
      }),
    });
    emitTable(context, {
      name: 'robustness-fixpoints',
      columns: ['fixpoint', 'uid', 'origin', ...Array.from({ length: W }, (_, i) => `w${i}`)],
      rows: fixpoints.origins.map((o, f) => [f, o.uid, o.origin, ...Array.from(fixpoints.weights.subarray(f * W, (f + 1) * W))]),
    });
  }
}

/**
 * What a robustness run saves at a checkpoint (unit: steps — of the source's self-training, then
 * of the trials): while the source trains, its state; then the fixpoints, the trials' weights,
 * their start classes and where the trials stand.
 */
type RobustnessState =
  | { readonly phase: 'source'; readonly source: CheckpointState }
  | { readonly phase: 'trials'; readonly fixpoints: CheckpointState; readonly data: Float32Array; readonly start: Uint8Array; readonly trials: TrialsState };

/**
 * The fixpoints of the source (its self-training continued from `source`, a checkpoint's state,
 * when given) and their noisy copies ([count × W], fixpoint-major, then level, then trial) with the
 * class each starts from.
 */
async function perturbedFixpoints(context: ExperimentContext, options: RobustnessOptions, total: number, source?: CheckpointState) {
  const W = context.network.weightCount;
  const { levels, trials } = options;
  const fixpoints = await obtainFixpoints(context, options.fixpoints, total, ['experiment', 'fixpoints'], {
    restored: source,
    checkpoint: (done, state) => context.checkpoint(done, (): RobustnessState => ({ phase: 'source', source: state() })),
  });
  const count = fixpoints.count * levels.length * trials;
  const data = new Float32Array(count * W);
  const start = new Uint8Array(count);
  const noise = context.random.stream('noise');
  let row = 0;
  for (let f = 0; f < fixpoints.count; f++) {
    const fixpoint = fixpoints.weights.subarray(f * W, (f + 1) * W);
    for (const level of levels) {
      for (let t = 0; t < trials; t++) perturb(fixpoint, level, noise, data.subarray(row * W, ++row * W));
    }
  }
  if (count > 0) context.classify({ data, index: Int32Array.from({ length: count }, (_, k) => k) }, start);
  return { fixpoints, data, start };
}

function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** Sample standard deviation (0 for one value). */
function std(values: readonly number[]): number | null {
  const m = mean(values);
  if (m === null) return null;
  return values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1)) : 0;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
