import { injectable } from 'inversify';
import { z } from 'zod';
import type { Interaction, InteractionContext, InteractionInstance } from '@srnn/core';

/**
 * PAPER.md §3 melt: a child takes the partner's weights with a random half (⌊W/2⌋ positions, drawn
 * uniformly from the entry's "mask" stream) replaced by the actor's — as `actor.melt(partner)` in
 * the authors' 2022 code. The child takes the partner's slot: the partner dies, the child gets a
 * new uid with the partner as parent; the actor (the other parent) is the interaction's actor.
 */
@injectable()
export class MeltInteraction implements Interaction {
  readonly type = 'melt';
  readonly description = 'a child of the partner with half its weights from the actor replaces the partner';
  readonly optionsSchema = z.object({}).strict();
  readonly partnered = true;
  readonly defaultRate = 0.1;

  create(context: InteractionContext): InteractionInstance {
    const { population } = context;
    const W = population.weightCount;
    const half = Math.floor(W / 2);
    const positions = new Int32Array(W);
    const rng = context.stream('mask');
    return {
      act(actors, partners) {
        const weights = population.weights;
        for (let k = 0; k < actors.length; k++) {
          const actor = actors[k] * W;
          const partner = partners[k];
          // the first `half` entries of a partial Fisher–Yates shuffle: a uniform random half
          for (let i = 0; i < W; i++) positions[i] = i;
          for (let i = 0; i < half; i++) {
            const j = i + rng.int(W - i);
            const t = positions[i];
            positions[i] = positions[j];
            positions[j] = t;
          }
          context.replace(partner, population.uid[partner]);
          const child = partner * W;
          for (let i = 0; i < half; i++) weights[child + positions[i]] = weights[actor + positions[i]];
        }
      },
      reborn() {},
    };
  }
}
