import { injectable } from 'inversify';
import { z } from 'zod';
import type { Interaction, InteractionContext, InteractionEntry, InteractionInstance } from '@srnn/core';
import { batchSchema, lrSchema, momentumSchema, PAPER_SGD, SgdTrainer, type SgdSettings } from './sgd';

const optionsSchema = z
  .object({
    severity: z.number().int().min(0).default(1).describe("training steps on the partner's rows each time the actor learns"),
    lr: lrSchema.optional().describe("default: the soup's first self-train entry's lr, else 0.04"),
    momentum: momentumSchema.optional().describe("default: the soup's first self-train entry's momentum, else 0"),
    batch: batchSchema.optional().describe("default: the soup's first self-train entry's batch, else full"),
  })
  .strict();
type LearnFromOptions = z.infer<typeof optionsSchema> & SgdSettings;

/**
 * PAPER.md §3 learn-from: the actor takes `severity` training steps on the partner's rows with the
 * partner's weights as targets. SGD settings not given are those of the soup's (first) self-train
 * entry, as in the authors' 2019 code where both used the particle's one optimiser; without one,
 * the paper's defaults. (Each training entry keeps its own momentum buffer.)
 */
@injectable()
export class LearnFromInteraction implements Interaction {
  readonly type = 'learn-from';
  readonly description = "the actor takes `severity` training steps towards reproducing the partner's weights";
  readonly optionsSchema = optionsSchema;
  readonly partnered = true;
  readonly defaultRate = 0.1;

  complete(entry: InteractionEntry, entries: readonly InteractionEntry[]): InteractionEntry {
    const selfTrain = entries.find((e) => e.type === 'self-train') as Partial<SgdSettings> | undefined;
    const inherited = (key: keyof SgdSettings) => entry[key] ?? selfTrain?.[key] ?? PAPER_SGD[key];
    return { ...entry, lr: inherited('lr'), momentum: inherited('momentum'), batch: inherited('batch') };
  }

  create(context: InteractionContext, entry: InteractionEntry): InteractionInstance {
    const options = this.complete(entry, [entry]) as unknown as LearnFromOptions;
    const trainer = new SgdTrainer(context, options);
    return {
      act: (actors, partners) => trainer.train(actors, partners, options.severity),
      reborn: (slot) => trainer.reborn(slot),
    };
  }
}
