import { injectable } from 'inversify';
import { z } from 'zod';
import { ParticleClassCode, type Experiment, type ExperimentContext } from '@srnn/core';

const optionsSchema = z
  .object({
    steps: z.number().int().min(0).default(100).describe('most self-applications per particle'),
    censusEvery: z.number().int().positive().optional().describe('steps between censuses (default: about 50 per run)'),
  })
  .strict();
type SelfApplicationOptions = z.output<typeof optionsSchema>;

const STOPS = new Set<number>([ParticleClassCode.divergent, ParticleClassCode.zero, ParticleClassCode.fixpoint]);

/**
 * Every particle replaces its weights by N ◁ N up to `steps` times, stopping early once it is
 * divergent or a (trivial or non-trivial) fixpoint (PAPER.md §2, §4.1).
 */
@injectable()
export class SelfApplicationExperiment implements Experiment<typeof optionsSchema> {
  readonly type = 'self-application';
  readonly description = 'self-apply every particle up to `steps` times, stopping once divergent or a fixpoint';
  readonly optionsSchema = optionsSchema;
  readonly checkpointUnit = 'steps';

  totalWork(options: SelfApplicationOptions): number {
    return options.steps;
  }

  async run(context: ExperimentContext, options: SelfApplicationOptions): Promise<void> {
    const { population, kernels } = context;
    const censusEvery = options.censusEvery ?? Math.max(1, Math.ceil(options.steps / 50));
    const restored = context.restored as { step: number; active: Int32Array } | undefined;
    let active = restored?.active ?? population.all();
    const classes = new Uint8Array(population.size);

    if (!restored) context.census(0);
    for (let step = (restored?.step ?? 0) + 1; step <= options.steps && active.length > 0; step++) {
      const batch = { data: population.weights, index: active };
      context.classify(batch, classes);
      active = active.filter((_, k) => !STOPS.has(classes[k]));
      const moving = { data: population.weights, index: active };
      kernels.apply(moving, moving, moving);
      if (step % censusEvery === 0 || step === options.steps) context.census(step);
      await context.progress(step, options.steps);
      await context.checkpoint(step, () => ({ step, active }));
    }
  }
}
