import { injectable } from 'inversify';
import { z } from 'zod';
import type { Experiment, ExperimentContext, WeightBatch } from '@srnn/core';

const optionsSchema = z
  .object({
    steps: z.number().int().min(0).describe('training steps per particle (epochs with batch 1)'),
    lr: z.number().positive().default(0.04),
    momentum: z.number().min(0).max(1).default(0).describe('PyTorch-style SGD momentum'),
    batch: z
      .union([z.literal('full'), z.literal(1)])
      .default('full')
      .describe("'full': one step on all rows; 1: one epoch of single-row steps (2019)"),
    censusEvery: z.number().int().positive().optional().describe('steps between censuses (default: about 50 per run)'),
  })
  .strict();
type SelfTrainOptions = z.output<typeof optionsSchema>;

/** Every particle takes exactly `steps` self-training steps (PAPER.md §3, §4.2). */
@injectable()
export class SelfTrainExperiment implements Experiment<typeof optionsSchema> {
  readonly type = 'self-train';
  readonly description = 'self-train every particle for `steps` steps, census every `censusEvery` steps';
  readonly optionsSchema = optionsSchema;
  readonly checkpointUnit = 'steps';

  totalWork(options: SelfTrainOptions): number {
    return options.steps;
  }

  async run(context: ExperimentContext, options: SelfTrainOptions): Promise<void> {
    const { population, kernels, random } = context;
    const everyone: WeightBatch = { data: population.weights, index: population.all() };
    const momentumBuffer = options.momentum > 0 ? { data: new Float32Array(population.weights.length), index: everyone.index } : undefined;
    const train = {
      lr: options.lr,
      momentum: options.momentum,
      batch: options.batch,
      momentumBuffer,
      rng: options.batch === 1 ? random.stream('train-order') : undefined,
    };
    const censusEvery = options.censusEvery ?? Math.max(1, Math.ceil(options.steps / 50));
    const loss = new Float32Array(population.size);

    const restored = context.restored as { step: number; momentum: Float32Array | null } | undefined;
    if (restored?.momentum) momentumBuffer?.data.set(restored.momentum);
    if (!restored) context.census(0);
    for (let step = (restored?.step ?? 0) + 1; step <= options.steps; step++) {
      const census = step % censusEvery === 0 || step === options.steps;
      // The loss is asked for only where a census reports it: kernels may skip computing it.
      kernels.train(everyone, everyone, train, census ? loss : undefined);
      if (census) context.census(step, { meanLoss: finiteMean(loss) });
      await context.progress(step, options.steps);
      await context.checkpoint(step, () => ({ step, momentum: momentumBuffer?.data ?? null }));
    }
  }
}

function finiteMean(values: Float32Array): number | undefined {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return count > 0 ? sum / count : undefined;
}
