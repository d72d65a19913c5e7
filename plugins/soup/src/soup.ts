import {
  initForType,
  type CheckpointState,
  type CheckpointValue,
  type ExperimentContext,
  type InteractionContext,
  type Interaction,
  type InteractionInstance,
  type NetworkShape,
  type ResolvedScenario,
  type Rng,
} from '@srnn/core';
import { EpochPlan } from './epoch-plan';
import type { InteractionsEvent } from './soup-events';
import { interactionOptions, type SoupOptions } from './soup-options';

/** Cause names after the interactions' codes: why respawn replaced a particle. */
export const RESPAWN_CAUSES = ['respawn-divergent', 'respawn-zero'] as const;

/**
 * Told when a particle leaves the soup: `slot` still holds its weights (the newcomer's are written
 * afterwards); `cause` is the interaction's type (e.g. melt) or a respawn cause.
 */
export type DeathListener = (slot: number, uid: number, cause: string, epoch: number) => void;

interface Entry {
  readonly code: number;
  readonly rate: number;
  readonly partnered: boolean;
  readonly instance: InteractionInstance;
  /** Draws the `rate` rolls (none when the rate is 0 or 1). */
  readonly roll: Rng;
  /** Draws partners (and, per epoch, actors). */
  readonly pick: Rng;
}

/**
 * A population evolving in epochs (PAPER.md §4.7). One epoch:
 *
 * 1. every `per: epoch` interaction, in list order, happens with probability `rate`: actor uniform,
 *    partner uniform among the others (the authors' 2022 soup: attack, melt, then self-training);
 * 2. every particle acts, in a fresh random order: each `per: particle` interaction, in list
 *    order, happens with probability `rate`, with a partner uniform over the whole population,
 *    itself included (2019). Acting is sequential: a particle attacked earlier in the epoch acts,
 *    and is learned from, with its new weights;
 * 3. respawn: a divergent (or zero) particle is replaced by a fresh random one.
 *
 * Random choices come from named streams of the run: `soup:order` (acting order), `soup:respawn`
 * (fresh particles' weights), and per entry `soup:<key>:rate`, `soup:<key>:pick` and whatever the
 * interaction draws, `soup:<key>:<purpose>` — key is the type, `<type>#2` for its second entry, etc.
 *
 * Interactions run batched in dependency waves (EpochPlan), with the weights of sequential acting.
 */
export class Soup {
  /** Names of the codes of the interactions event: the entries' types, then the respawn causes. */
  readonly codes: readonly string[];
  /** The epoch being run (0 before the first). */
  epoch = 0;
  private readonly entries: Entry[];
  private readonly perParticle: Entry[];
  private readonly perEpoch: Entry[];
  private readonly plan: EpochPlan;
  private readonly order: Int32Array;
  private readonly orderRng: Rng;
  private readonly respawnRng: Rng;
  private readonly respawnScheme: string;
  private readonly batchActors: Int32Array;
  private readonly batchPartners: Int32Array;
  // what happened, kept only while an epoch is recorded
  private recording = false;
  private actorUids = new Float64Array(0);
  private partnerUids = new Float64Array(0);
  private readonly born: number[] = [];
  private readonly parents: number[] = [];
  private readonly died: number[] = [];
  private readonly causes: number[] = [];

  constructor(
    private readonly context: ExperimentContext,
    private readonly options: SoupOptions,
    registered: readonly Interaction[],
    private readonly onDeath?: DeathListener,
  ) {
    const { population, random } = context;
    const P = population.size;
    const list = options.interactions;
    this.codes = [...list.map((e) => e.type), ...RESPAWN_CAUSES];
    const seen = new Map<string, number>();
    this.entries = list.map((spec, code) => {
      const interaction = registered.find((i) => i.type === spec.type);
      if (!interaction) throw new Error(`soup: unknown interaction "${spec.type}"`);
      const n = (seen.get(spec.type) ?? 0) + 1;
      seen.set(spec.type, n);
      const key = `soup:${n === 1 ? spec.type : `${spec.type}#${n}`}`;
      const interactionContext: InteractionContext = {
        population,
        network: context.network,
        kernels: context.kernels,
        stream: (purpose) => random.stream(`${key}:${purpose}`),
        replace: (slot, parentUid) => this.replace(slot, parentUid, code),
      };
      return {
        code,
        rate: spec.rate,
        partnered: interaction.partnered,
        instance: interaction.create(interactionContext, interactionOptions(interaction, spec)),
        roll: random.stream(`${key}:rate`),
        pick: random.stream(`${key}:pick`),
      };
    });
    this.perParticle = this.entries.filter((e) => list[e.code].per === 'particle');
    this.perEpoch = this.entries.filter((e) => list[e.code].per === 'epoch');
    this.plan = new EpochPlan(P * this.perParticle.length + this.perEpoch.length, P, this.entries.length);
    this.order = new Int32Array(P);
    this.orderRng = random.stream('soup:order');
    this.respawnRng = random.stream('soup:respawn');
    this.batchActors = new Int32Array(P);
    this.batchPartners = new Int32Array(P);

    // SoupExperiment.check has made sure that the scheme exists when respawn uses it
    this.respawnScheme = respawnScheme(options, context.scenario, context.network);
  }

  /** The epoch and every interaction's per-particle state (checkpoints). */
  save(): CheckpointState {
    return { epoch: this.epoch, interactions: this.entries.map((entry) => entry.instance.save?.() ?? null) };
  }

  restore(state: CheckpointState): void {
    const { epoch, interactions } = state as { epoch: number; interactions: CheckpointValue[] };
    this.epoch = epoch;
    this.entries.forEach((entry, i) => entry.instance.restore?.(interactions[i]));
  }

  /**
   * Runs the next epoch. With `record`, returns what happened as an interactions event; without,
   * nothing is recorded at all.
   */
  step(record: boolean): InteractionsEvent | undefined {
    this.epoch++;
    this.startRecording(record);
    this.planEpoch();
    this.runPlan();
    this.respawn();
    return record ? this.recorded() : undefined;
  }

  private planEpoch(): void {
    const { plan, order } = this;
    const P = this.context.population.size;
    plan.clear();
    for (const entry of this.perEpoch) {
      if (!fires(entry)) continue;
      const actor = entry.pick.int(P);
      let partner = actor;
      if (entry.partnered) {
        partner = entry.pick.int(P - 1);
        if (partner >= actor) partner++;
      }
      plan.add(entry.code, actor, partner);
    }
    for (let i = 0; i < P; i++) order[i] = i;
    this.orderRng.shuffle(order);
    const entries = this.perParticle;
    const E = entries.length;
    for (let t = 0; t < P; t++) {
      const actor = order[t];
      for (let j = 0; j < E; j++) {
        const entry = entries[j];
        if (!fires(entry)) continue;
        plan.add(entry.code, actor, entry.partnered ? entry.pick.int(P) : actor);
      }
    }
  }

  private runPlan(): void {
    const { plan, batchActors, batchPartners, entries } = this;
    const uid = this.context.population.uid;
    const sorted = plan.order();
    plan.forEachGroup((code, from, to) => {
      const n = to - from;
      for (let j = 0; j < n; j++) {
        const o = sorted[from + j];
        const actor = plan.actor[o];
        const partner = plan.partner[o];
        batchActors[j] = actor;
        batchPartners[j] = partner;
        if (this.recording) {
          this.actorUids[o] = uid[actor];
          this.partnerUids[o] = uid[partner];
        }
      }
      entries[code].instance.act(batchActors.subarray(0, n), batchPartners.subarray(0, n));
    });
  }

  /** End of the epoch: divergent / zero particles (as classified, PAPER.md §2) make way for fresh random ones. */
  private respawn(): void {
    const { divergent, zero } = this.options.respawn;
    if (!divergent && !zero) return;
    const { population, network } = this.context;
    const { epsilon, strict } = this.context.scenario.classify;
    const W = population.weightCount;
    const weights = population.weights;
    const base = this.entries.length;
    for (let slot = 0; slot < population.size; slot++) {
      let finite = true;
      let isZero = true;
      for (let i = slot * W, end = i + W; i < end; i++) {
        const v = weights[i];
        if (v - v !== 0) finite = false; // NaN or ±∞
        const a = Math.abs(v);
        if (strict ? !(a < epsilon) : !(a <= epsilon)) isZero = false;
      }
      const cause = !finite ? (divergent ? base : -1) : isZero && zero ? base + 1 : -1;
      if (cause < 0) continue;
      this.replace(slot, -1, cause);
      network.initialize(this.respawnScheme, population.weightsOf(slot), this.respawnRng);
    }
  }

  private replace(slot: number, parentUid: number, cause: number): number {
    const { population } = this.context;
    const died = population.uid[slot];
    this.onDeath?.(slot, died, this.codes[cause], this.epoch);
    const born = population.rebirth(slot, this.epoch, parentUid);
    for (const entry of this.entries) entry.instance.reborn(slot);
    if (this.recording) {
      this.died.push(died);
      this.born.push(born);
      this.parents.push(parentUid);
      this.causes.push(cause);
    }
    return born;
  }

  private startRecording(record: boolean): void {
    this.recording = record;
    this.born.length = this.parents.length = this.died.length = this.causes.length = 0;
    if (record && this.actorUids.length < this.plan.capacity) {
      this.actorUids = new Float64Array(this.plan.capacity);
      this.partnerUids = new Float64Array(this.plan.capacity);
    }
  }

  private recorded(): InteractionsEvent {
    const n = this.plan.count;
    const cause = Uint8Array.from(this.causes);
    return {
      kind: 'interactions',
      step: this.epoch,
      codes: this.codes,
      interactions: { code: this.plan.code.slice(0, n), actor: this.actorUids.slice(0, n), partner: this.partnerUids.slice(0, n) },
      births: { uid: Float64Array.from(this.born), parent: Float64Array.from(this.parents), cause },
      deaths: { uid: Float64Array.from(this.died), cause: cause.slice() },
    };
  }
}

/** The random initialisation scheme of respawned particles: respawn.init, else population.init when it names one, else the network's default. */
export function respawnScheme(options: SoupOptions, scenario: ResolvedScenario, network: NetworkShape): string {
  const init = initForType(scenario.population.init, network.type);
  return options.respawn.init ?? (typeof init === 'string' && network.initSchemes.includes(init) ? init : network.initSchemes[0]);
}

/** Rolls an entry's rate; a rate of 0 or 1 draws nothing. */
function fires(entry: Entry): boolean {
  const rate = entry.rate;
  return rate >= 1 || (rate > 0 && entry.roll.next() < rate);
}
