import { injectable } from 'inversify';
import { z } from 'zod';
import { ParticleClassCode, type Experiment, type ExperimentContext, type TrainOptions, type WeightBatch } from '@srnn/core';

const optionsSchema = z
  .object({
    rounds: z.number().int().min(0).default(4).describe('rounds of one self-application followed by `trainsPerApplication` training steps'),
    trainsPerApplication: z.number().int().min(0).describe('self-training steps after each self-application (epochs with batch 1); 0 = self-application only'),
    lr: z.number().positive().default(0.04),
    momentum: z.number().min(0).max(1).default(0).describe('PyTorch-style SGD momentum; a particle keeps its momentum across rounds'),
    batch: z
      .union([z.literal('full'), z.literal(1)])
      .default('full')
      .describe("'full': one step on all rows; 1: one epoch of single-row steps (2019)"),
  })
  .strict();
type MixedOptions = z.output<typeof optionsSchema>;

/** Classes at which a particle is left alone for the rest of the run. */
const STOPS = new Set<number>([ParticleClassCode.divergent, ParticleClassCode.zero, ParticleClassCode.fixpoint]);

/**
 * PAPER.md §4.3: `rounds` rounds of one self-application followed by `trainsPerApplication`
 * self-training steps, with a census after every round (step = round number; step 0 is the
 * initial population).
 *
 * Early stop: at the start of every round — so on the initial nets and after every training
 * block, never between a self-application and the training that follows it — a particle that is
 * divergent, zero or a non-trivial fixpoint is left alone for the rest of the run. This follows
 * the authors' 2019 code (a round is self-attack, then the training block, then "stop if diverged
 * or fixpoint"), except that the initial nets are checked too, as in the self-application
 * experiment; so with `trainsPerApplication: 0` the experiment is exactly `self-application` with
 * `steps: rounds`. (The authors' 2022 code has no early stop at all.)
 */
@injectable()
export class MixedExperiment implements Experiment<typeof optionsSchema> {
  readonly type = 'mixed';
  readonly description = 'rounds of one self-application then `trainsPerApplication` self-training steps; a particle divergent, zero or a fixpoint at the start of a round is left alone';
  readonly optionsSchema = optionsSchema;
  readonly checkpointUnit = 'rounds';

  totalWork(options: MixedOptions): number {
    const { rounds, trainsPerApplication } = options;
    return rounds * (1 + trainsPerApplication);
  }

  async run(context: ExperimentContext, options: MixedOptions): Promise<void> {
    const { population, kernels, random } = context;
    const total = this.totalWork(options);
    const momentum = options.momentum > 0 ? new Float32Array(population.weights.length) : undefined;
    const rng = options.batch === 1 ? random.stream('train-order') : undefined;
    const classes = new Uint8Array(population.size);
    const loss = new Float32Array(population.size);
    const restored = context.restored as { round: number; active: Int32Array; momentum: Float32Array | null } | undefined;
    let active = restored?.active ?? population.all();
    if (restored?.momentum) momentum?.set(restored.momentum);

    if (!restored) context.census(0);
    for (let round = (restored?.round ?? 0) + 1; round <= options.rounds; round++) {
      if (active.length > 0) {
        context.classify({ data: population.weights, index: active }, classes);
        active = active.filter((_, k) => !STOPS.has(classes[k]));
      }
      let meanLoss: number | undefined;
      if (active.length > 0) {
        const moving: WeightBatch = { data: population.weights, index: active };
        let done = (round - 1) * (1 + options.trainsPerApplication);
        kernels.apply(moving, moving, moving);
        await context.progress(++done, total);
        const train: TrainOptions = {
          lr: options.lr,
          momentum: options.momentum,
          batch: options.batch,
          momentumBuffer: momentum && { data: momentum, index: active },
          rng,
        };
        for (let step = 0; step < options.trainsPerApplication; step++) {
          kernels.train(moving, moving, train, loss);
          await context.progress(++done, total);
        }
        if (options.trainsPerApplication > 0) meanLoss = finiteMean(loss.subarray(0, active.length));
      }
      context.census(round, meanLoss === undefined ? undefined : { meanLoss });
      await context.checkpoint(round, () => ({ round, active, momentum: momentum ?? null }));
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
