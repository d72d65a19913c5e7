import { injectable } from 'inversify';
import { z } from 'zod';
import type { Interaction, InteractionContext, InteractionEntry, InteractionInstance } from '@srnn/core';
import { batchSchema, lrSchema, momentumSchema, PAPER_SGD, sgdSettingsSchema, SgdTrainer, type SgdSettings } from './sgd';

const optionsSchema = z
  .object({
    severity: z.number().int().min(0).default(1).describe("training steps on the partner's rows each time the actor learns"),
    lr: lrSchema.optional().describe("default: the soup's first self-train entry's lr, else 0.04"),
    momentum: momentumSchema.optional().describe("default: the soup's first self-train entry's momentum, else 0"),
    batch: batchSchema.optional().describe("default: the soup's first self-train entry's batch, else full"),
  })
  .strict();
type LearnFromOptions = z.output<typeof optionsSchema>;

/** The SGD settings a self-train entry gives (its other keys are not read). */
const inheritedSgd = sgdSettingsSchema.partial();

/**
 * PAPER.md §3 learn-from: the actor takes `severity` training steps on the partner's rows with the
 * partner's weights as targets. SGD settings not given are those of the soup's (first) self-train
 * entry, as in the authors' 2019 code where both used the particle's one optimiser; without one,
 * the paper's defaults. (Each training entry keeps its own momentum buffer.)
 */
@injectable()
export class LearnFromInteraction implements Interaction<typeof optionsSchema> {
  readonly type = 'learn-from';
  readonly description = "the actor takes `severity` training steps towards reproducing the partner's weights";
  readonly optionsSchema = optionsSchema;
  readonly partnered = true;
  readonly defaultRate = 0.1;

  complete(options: LearnFromOptions, entries: readonly InteractionEntry[]): LearnFromOptions & SgdSettings {
    const entry = entries.find((e) => e.type === 'self-train');
    const selfTrain = entry && inheritedSgd.parse(entry);
    return {
      ...options,
      lr: options.lr ?? selfTrain?.lr ?? PAPER_SGD.lr,
      momentum: options.momentum ?? selfTrain?.momentum ?? PAPER_SGD.momentum,
      batch: options.batch ?? selfTrain?.batch ?? PAPER_SGD.batch,
    };
  }

  create(context: InteractionContext, options: LearnFromOptions): InteractionInstance {
    const trainer = new SgdTrainer(context, this.complete(options, []));
    return {
      act: (actors, partners) => trainer.train(actors, partners, options.severity),
      reborn: (slot) => trainer.reborn(slot),
      save: () => trainer.save(),
      restore: (state) => trainer.restore(state),
    };
  }
}
