import { injectable } from 'inversify';
import { z } from 'zod';
import type { Interaction, InteractionContext, InteractionInstance } from '@srnn/core';

/** PAPER.md §3 attack: the partner's weights ← actor ◁ partner (the partner keeps its uid). */
@injectable()
export class AttackInteraction implements Interaction {
  readonly type = 'attack';
  readonly description = "the actor rewrites the partner: partner's weights ← actor ◁ partner";
  readonly optionsSchema = z.object({}).strict();
  readonly partnered = true;
  readonly defaultRate = 0.1;

  create(context: InteractionContext): InteractionInstance {
    const { population, kernels } = context;
    return {
      act(actors, partners) {
        const victims = { data: population.weights, index: partners };
        kernels.apply({ data: population.weights, index: actors }, victims, victims);
      },
      reborn() {},
    };
  }
}
