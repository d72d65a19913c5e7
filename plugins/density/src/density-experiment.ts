import { injectable } from 'inversify';
import { z } from 'zod';
import type { Experiment, ExperimentContext } from '@srnn/core';

const optionsSchema = z.object({}).strict();

/**
 * PAPER.md §4.9, fixpoint density: the population is classified as it was initialised — no
 * training, no self-application — so the census (one, at step 0, equal to the final one) counts
 * how many nets drawn by `population.init` already are fixpoints of each class.
 */
@injectable()
export class DensityExperiment implements Experiment<typeof optionsSchema> {
  readonly type = 'density';
  readonly description = 'classify the initial nets as they are (how many random nets already are fixpoints)';
  readonly optionsSchema = optionsSchema;
  /** One step (the census): a checkpoint after it has nothing left to save. */
  readonly checkpointUnit = 'steps';

  totalWork(): number {
    return 1;
  }

  async run(context: ExperimentContext): Promise<void> {
    if (context.restored) return;
    context.census(0);
    await context.progress(1, 1);
    await context.checkpoint(1, () => ({ step: 1 }));
  }
}
