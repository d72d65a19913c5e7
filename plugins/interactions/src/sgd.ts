import { z } from 'zod';
import type { CheckpointValue, InteractionContext, TrainOptions } from '@srnn/core';

/** PAPER.md §3: full batch, plain SGD, lr 0.04 (the 2022 semantics). */
export const PAPER_SGD = { lr: 0.04, momentum: 0, batch: 'full' } as const;

export const lrSchema = z.number().positive();
export const momentumSchema = z.number().min(0).max(1).describe('PyTorch-style SGD momentum; each particle keeps its own buffer, reset when its slot is reborn');
export const batchSchema = z.union([z.literal('full'), z.literal(1)]).describe("'full': one step on all rows; 1: one epoch of single-row steps in a random order (2019)");

/** The SGD settings of a training interaction. */
export const sgdSettingsSchema = z.object({ lr: lrSchema, momentum: momentumSchema, batch: batchSchema });
export type SgdSettings = z.output<typeof sgdSettingsSchema>;

/**
 * Training steps of one training interaction of a soup, with its own per-particle state: a momentum
 * buffer [P × W] (only when momentum > 0) whose rows follow the population's slots, zeroed when a
 * slot is reborn, and the random stream of batch-1 row orders.
 */
export class SgdTrainer {
  private readonly momentum: Float32Array | undefined;

  constructor(
    private readonly context: InteractionContext,
    private readonly sgd: SgdSettings,
  ) {
    const { population } = context;
    this.momentum = sgd.momentum > 0 ? new Float32Array(population.size * population.weightCount) : undefined;
  }

  /** `steps` steps of each params[k] on the rows of data[k] (self-training: data = params). */
  train(params: Int32Array, data: Int32Array, steps: number): void {
    if (steps === 0 || params.length === 0) return;
    const { population, kernels } = this.context;
    const { lr, momentum, batch } = this.sgd;
    const options: TrainOptions = {
      lr,
      momentum,
      batch,
      momentumBuffer: this.momentum && { data: this.momentum, index: params },
      rng: batch === 1 ? this.context.stream('order') : undefined,
    };
    const paramsBatch = { data: population.weights, index: params };
    const dataBatch = params === data ? paramsBatch : { data: population.weights, index: data };
    for (let step = 0; step < steps; step++) kernels.train(paramsBatch, dataBatch, options);
  }

  /** The momentum buffer (checkpoints); null without momentum. */
  save(): Float32Array | null {
    return this.momentum ?? null;
  }

  restore(state: CheckpointValue): void {
    if (this.momentum && state instanceof Float32Array) this.momentum.set(state);
  }

  reborn(slot: number): void {
    const W = this.context.population.weightCount;
    this.momentum?.fill(0, slot * W, (slot + 1) * W);
  }
}
