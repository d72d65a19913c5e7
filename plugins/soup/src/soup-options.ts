import { z } from 'zod';
import { pluginOptions, type Interaction, type InteractionEntry } from '@srnn/core';
import { DISTANCES, fixpointSourceSchema } from '@srnn/analysis';

export const SCOPES = ['particle', 'epoch'] as const;
export type Scope = (typeof SCOPES)[number];

/** Codes must fit a Uint8Array together with the two respawn codes. */
const MAX_INTERACTIONS = 200;

/** Keys the soup adds to every interaction's own options (`type` and these). */
export const SCHEDULE_KEYS = ['rate', 'per'] as const;

function scheduleShape(interaction: Interaction) {
  return {
    type: z.literal(interaction.type),
    rate: z.number().min(0).max(1).default(interaction.defaultRate).describe(`probability that the interaction happens, per particle or per epoch (default ${interaction.defaultRate})`),
    per: z
      .enum(SCOPES)
      .default('particle')
      .describe(
        'particle: every particle rolls `rate` each epoch, in its turn; its partner is uniform over the population, itself included (2019). ' +
          'epoch: at most one event per epoch, before the particles act; actor uniform, partner uniform among the others (2022)',
      ),
  };
}

/**
 * One entry of `interactions`: a discriminated union on `type` over the registered interactions,
 * each member the interaction's own options plus `rate` and `per` (composed as core composes
 * architectures and experiments). Entries whose defaults depend on other entries are completed.
 */
export function interactionsSchema(interactions: readonly Interaction[]) {
  const [first, ...others] = interactions.map((i) =>
    z
      .object({ ...scheduleShape(i), ...i.optionsSchema.shape })
      .strict()
      .describe(i.description),
  );
  const entry: z.ZodType<ScheduledEntry> = !first ? z.never().describe('no interaction plugin is registered') : others.length === 0 ? first : z.discriminatedUnion('type', [first, ...others]);
  return z
    .array(entry)
    .max(MAX_INTERACTIONS)
    .transform((entries) => entries.map((e) => completed(interactions, e, entries)))
    .describe('what the particles do each epoch, in this order (e.g. { type: attack, rate: 0.1 }, { type: self-train, steps: 20 })');
}

/**
 * `clones`: the soup starts from noisy clones of a few fixpoints (PAPER.md §4.8) and records how
 * each clone ends relative to its own parent.
 */
export const soupClonesSchema = z
  .object({
    parents: fixpointSourceSchema.describe(
      'where the parents come from: hand-made | population (the fixpoints among the initial particles) | { file: weights.json } | ' +
        '{ train: { steps, lr, momentum, batch } } (a copy of the initial population self-trains first); the first `take` fixpoints are the parents',
    ),
    take: z.number().int().positive().default(1).describe('number of parents: the first fixpoints the source gives'),
    count: z.number().int().positive().default(5).describe('clones per parent and noise level'),
    levels: z
      .array(z.number().min(0))
      .min(1)
      .default([1e-2, 1e-3, 1e-4])
      .describe('noise levels; a clone draws its own level U(0,1)·noise, then each weight moves by ± U(0,1)·level (PAPER.md §3); 0 makes exact copies'),
    perturbation: z
      .enum(['uniform', 'fixed'])
      .default('uniform')
      .describe("at a clone's level: 'uniform' moves each weight by ± U(0,1)·level (PAPER.md §3, the authors' code), 'fixed' by exactly ± level (a variant)"),
    distance: z.enum(DISTANCES).default('mim').describe('the distance that decides approaching / distancing / stationary (MAE, MSE and MIM are all recorded)'),
  })
  .strict();
export type SoupClonesOptions = z.output<typeof soupClonesSchema>;

export function soupOptionsSchema(interactions: readonly Interaction[]) {
  return z
    .object({
      epochs: z.number().int().min(0).describe('epochs the soup evolves'),
      interactions: interactionsSchema(interactions),
      respawn: z
        .object({
          divergent: z.boolean().default(false).describe('replace a divergent particle by a fresh random one at the end of each epoch'),
          zero: z.boolean().default(false).describe('replace a zero particle (every |w| ≤ ε) by a fresh random one at the end of each epoch'),
          init: z
            .string()
            .optional()
            .describe("random initialisation scheme of the fresh particles (default: the scheme population.init names for the architecture, if any, else the architecture's default)"),
        })
        .strict()
        .prefault({})
        .describe('fresh particles get a new uid and no parent (-1); the interactions event pairs each with the particle it replaced'),
      censusEvery: z.number().int().positive().optional().describe('epochs between censuses (default: about 50 per run)'),
      snapshotEvery: z.number().int().positive().optional().describe('epochs between weight snapshots (snapshots.f32 + snapshots.json; none without it); also the first and the last epoch'),
      clones: soupClonesSchema
        .optional()
        .describe(
          'start from clones of fixpoints (PAPER.md §4.8): slots 0 … take·levels·count − 1 get the clones (parent-major, then level, then clone), ' +
            'further slots keep their initial particles; at the end soup-clones.csv/json records each clone against its parent',
        ),
    })
    .strict();
}

export type SoupOptions = z.output<ReturnType<typeof soupOptionsSchema>>;

export interface ScheduledEntry extends InteractionEntry {
  readonly rate: number;
  readonly per: Scope;
}

/** An entry with the options its interaction completes from the other entries (Interaction.complete). */
function completed(interactions: readonly Interaction[], entry: ScheduledEntry, entries: readonly ScheduledEntry[]): ScheduledEntry {
  const interaction = interactions.find((i) => i.type === entry.type);
  if (!interaction?.complete) return entry;
  const { type, rate, per } = entry;
  return { type, rate, per, ...interaction.complete(interactionOptions(interaction, entry), entries) };
}

/** An interaction's own options from its entry: without `type`, `rate` and `per`, parsed by its schema. */
export function interactionOptions<S extends z.ZodObject>(interaction: Interaction<S>, entry: ScheduledEntry): z.output<S> {
  return pluginOptions(interaction, entry, SCHEDULE_KEYS);
}
