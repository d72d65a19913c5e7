import { injectable } from 'inversify';
import { z } from 'zod';
import type { Interaction, InteractionContext, InteractionInstance } from '@srnn/core';
import { batchSchema, lrSchema, momentumSchema, PAPER_SGD, SgdTrainer } from './sgd';

const optionsSchema = z
  .object({
    steps: z.number().int().min(0).describe('self-training steps each time the particle acts (epochs with batch 1)'),
    lr: lrSchema.default(PAPER_SGD.lr),
    momentum: momentumSchema.default(PAPER_SGD.momentum),
    batch: batchSchema.default(PAPER_SGD.batch),
  })
  .strict();
type SelfTrainOptions = z.output<typeof optionsSchema>;

/** PAPER.md §3 self-training, `steps` steps, acting on the actor alone. */
@injectable()
export class SelfTrainInteraction implements Interaction<typeof optionsSchema> {
  readonly type = 'self-train';
  readonly description = 'the actor takes `steps` self-training steps (no partner)';
  readonly optionsSchema = optionsSchema;
  readonly partnered = false;
  readonly defaultRate = 1;

  create(context: InteractionContext, options: SelfTrainOptions): InteractionInstance {
    const trainer = new SgdTrainer(context, options);
    return {
      act: (actors) => trainer.train(actors, actors, options.steps),
      reborn: (slot) => trainer.reborn(slot),
      save: () => trainer.save(),
      restore: (state) => trainer.restore(state),
    };
  }
}
