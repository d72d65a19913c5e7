import { z } from 'zod';
import type { ExperimentContext, TrainOptions, WeightBatch } from '@srnn/core';
import type { PhaseCheckpoints } from './phase-checkpoints';

/** Options of a self-training phase inside an analysis experiment (PAPER.md §3). */
export const trainingShape = {
  lr: z.number().positive().default(0.04),
  momentum: z.number().min(0).max(1).default(0).describe('PyTorch-style SGD momentum; 0 = plain SGD'),
  batch: z
    .union([z.literal('full'), z.literal(1)])
    .default('full')
    .describe("'full': one step on all rows; 1: one epoch of single-row steps (2019)"),
};
export const trainingSchema = z.object({ steps: z.number().int().min(0).describe('self-training steps (epochs with batch 1)'), ...trainingShape }).strict();
export type TrainingSpec = z.infer<typeof trainingSchema>;

/**
 * Self-training of a fixed set of networks (rows `index` of `data`) with its own momentum buffer, so
 * that it can run step by step alongside other bookkeeping. The order of batch-1 epochs comes from
 * the run's `train-order` stream.
 */
export class SelfTrainer {
  private readonly options: TrainOptions;
  private readonly batch: WeightBatch;
  readonly loss: Float32Array;

  constructor(context: ExperimentContext, data: Float32Array, index: Int32Array, spec: Omit<TrainingSpec, 'steps'>) {
    const W = context.network.weightCount;
    this.batch = { data, index };
    this.loss = new Float32Array(index.length);
    const momentumBuffer = spec.momentum > 0 ? { data: new Float32Array(index.length * W), index: Int32Array.from({ length: index.length }, (_, k) => k) } : undefined;
    this.options = {
      lr: spec.lr,
      momentum: spec.momentum,
      batch: spec.batch,
      momentumBuffer,
      rng: spec.batch === 1 ? context.random.stream('train-order') : undefined,
    };
  }

  /** One step (or batch-1 epoch) of every network; `loss` then holds each one's loss before it. */
  step(context: ExperimentContext): void {
    context.kernels.train(this.batch, this.batch, this.options, this.loss);
  }

  /** The momentum buffer ([index.length × W]; null without momentum), for checkpoints. */
  get momentum(): Float32Array | null {
    return this.options.momentumBuffer?.data ?? null;
  }

  /** Continues with the momentum buffer of a checkpoint (`momentum` then). */
  restoreMomentum(momentum: Float32Array | null): void {
    if (momentum) this.options.momentumBuffer?.data.set(momentum);
  }

  /** Mean of the finite losses of the last step, or undefined. */
  meanLoss(): number | undefined {
    let sum = 0;
    let count = 0;
    for (const v of this.loss) {
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    return count > 0 ? sum / count : undefined;
  }
}

/** What a self-training phase saves at a checkpoint (the weights are the population's). */
type TrainingState = { readonly step: number; readonly momentum: Float32Array | null };

/**
 * Self-trains the whole population `spec.steps` steps with censuses (about 50, and at the end), as
 * the self-train experiment does; progress is reported as `offset + step` of `total`. With
 * `phase`, a checkpoint may follow every step (unit: steps), and a restored phase continues after
 * its step (its censuses so far are replayed).
 */
export async function selfTrainPopulation(context: ExperimentContext, spec: TrainingSpec, offset: number, total: number, phase?: PhaseCheckpoints): Promise<void> {
  const { population } = context;
  const trainer = new SelfTrainer(context, population.weights, population.all(), spec);
  const censusEvery = Math.max(1, Math.ceil(spec.steps / 50));
  const from = phase?.restored as TrainingState | undefined;
  if (from) trainer.restoreMomentum(from.momentum);
  else context.census(0);
  for (let step = (from?.step ?? 0) + 1; step <= spec.steps; step++) {
    trainer.step(context);
    if (step % censusEvery === 0 || step === spec.steps) context.census(step, { meanLoss: trainer.meanLoss() });
    await context.progress(offset + step, total);
    await phase?.checkpoint(step, (): TrainingState => ({ step, momentum: trainer.momentum }));
  }
}
