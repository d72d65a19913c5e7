import { PARTICLE_CLASSES, Population, type Census, type CheckpointState, type ExperimentContext } from '@srnn/core';
import {
  cloneLevel,
  DISTANCES,
  distancesToParents,
  emitTable,
  movement,
  MOVEMENTS,
  obtainFixpoints,
  perturb,
  perturbFixed,
  sourceWork,
  type DistanceName,
  type FixpointSource,
  type TableCell,
} from '@srnn/analysis';
import type { SoupClonesOptions } from './soup-options';

/** The tables a soup with clones writes (`<name>.csv` and `<name>.json`). */
export const SOUP_CLONES_TABLES = ['soup-clones', 'soup-clones-levels'] as const;

/** Clones a soup with `clones` starts from: parents × levels × clones per parent and level. */
export function clonesNeeded(options: SoupClonesOptions): number {
  return options.take * options.levels.length * options.count;
}

/** Progress units of the parent phase (self-training steps of a `train` source). */
export function clonesWork(options: SoupClonesOptions | undefined): number {
  return options ? sourceWork(options.parents as FixpointSource) : 0;
}

/**
 * The clones of a soup (PAPER.md §4.8). Before the first epoch, `spawn` obtains the parents — the
 * first `take` fixpoints of the source, which works on a copy of the initial population and takes
 * no census (a soup's census steps are epochs) — and puts the clones into slots 0 … N − 1
 * (parent-major, then level, then clone). Each clone is a new particle (new uid, born at epoch 0;
 * its parent uid is the parent's when the parent is a particle of this run — sources `population`
 * and `train` — else -1). A clone's noise: its own level U(0,1)·noise from the stream
 * `soup:clones:noise`, then every weight ± U(0,1)·level (or ± level with `perturbation: fixed`).
 *
 * `finish` compares each clone with its parent's weights at the spawn — MAE, MSE and MIM before
 * (right after the spawn) and after (at the end, or when the clone left the soup: respawned or
 * replaced by a melt child; then its weights at that moment count) — and emits the tables
 * soup-clones (one row per clone) and soup-clones-levels (per noise level).
 */
export class SoupClones {
  private readonly alive: Uint8Array;
  private readonly deathEpoch: Float64Array;
  private readonly deathCause: (string | null)[];
  /** Weights at the end, or at death: [N × W]. */
  private readonly last: Float32Array;
  private readonly index = new Map<number, number>();

  private constructor(
    private readonly population: Population,
    private readonly options: SoupClonesOptions,
    private readonly weightCount: number,
    /** Parents' weights at the spawn, [take × W]. */
    private readonly parents: Float32Array,
    private readonly origins: readonly { readonly uid: number; readonly origin: string }[],
    /** Per clone: uid, parent row, index of its noise level in `levels`, its own level. */
    private readonly uids: Float64Array,
    private readonly parentOf: Int32Array,
    private readonly levelOf: Int32Array,
    private readonly ownLevel: Float64Array,
    private readonly before: Readonly<Record<DistanceName, Float64Array>>,
    private readonly startClasses: Uint8Array,
  ) {
    const N = uids.length;
    this.alive = new Uint8Array(N).fill(1);
    this.deathEpoch = new Float64Array(N).fill(NaN);
    this.deathCause = new Array<string | null>(N).fill(null);
    this.last = new Float32Array(N * weightCount);
    uids.forEach((uid, k) => this.index.set(uid, k));
  }

  get size(): number {
    return this.uids.length;
  }

  /** Obtains the parents and writes the clones into the population. `total` is the run's progress total. */
  static async spawn(context: ExperimentContext, options: SoupClonesOptions, total: number): Promise<SoupClones> {
    const { population, network } = context;
    const P = population.size;
    const W = network.weightCount;
    const F = options.take;
    const L = options.levels.length;
    const C = options.count;
    const N = clonesNeeded(options); // ≤ P: SoupExperiment.check

    // the parent phase: on a copy of the initial population, censuses muted
    const scratch = new Population(P, W);
    scratch.weights.set(population.weights);
    scratch.uid.set(population.uid);
    const quiet = Object.create(context, {
      population: { value: scratch },
      census: { value: () => Object.fromEntries(PARTICLE_CLASSES.map((c) => [c, 0])) as Census },
    }) as ExperimentContext;
    const source = options.parents as FixpointSource;
    const found = await obtainFixpoints(quiet, source, total, ['experiment', 'clones', 'parents']);
    if (found.count < F) {
      throw new Error(`soup clones: the parent source gave ${found.count} fixpoint${found.count === 1 ? '' : 's'}, take: ${F} needs ${F}`);
    }
    const parents = found.weights.slice(0, F * W);
    const inRun = source === 'population' || (typeof source === 'object' && 'train' in source);
    // the hand-made parent is no particle: uid -1 (a file's parents keep the uids of that run)
    const origins = found.origins.slice(0, F).map((o) => (source === 'hand-made' ? { ...o, uid: -1 } : o));

    const rng = context.random.stream('soup:clones:noise');
    const disturb = options.perturbation === 'uniform' ? perturb : perturbFixed;
    const uids = new Float64Array(N);
    const parentOf = new Int32Array(N);
    const levelOf = new Int32Array(N);
    const ownLevel = new Float64Array(N);
    let n = 0;
    for (let f = 0; f < F; f++) {
      const parent = parents.subarray(f * W, (f + 1) * W);
      for (let l = 0; l < L; l++) {
        for (let c = 0; c < C; c++, n++) {
          parentOf[n] = f;
          levelOf[n] = l;
          ownLevel[n] = cloneLevel(options.levels[l], rng);
          disturb(parent, ownLevel[n], rng, population.weightsOf(n));
          uids[n] = population.rebirth(n, 0, inRun ? origins[f].uid : -1);
        }
      }
    }
    const spawned = population.weights.slice(0, N * W);
    const before = distancesOf(spawned, parents, parentOf, W);
    const startClasses = context.classify({ data: spawned, index: Int32Array.from({ length: N }, (_, k) => k) });
    return new SoupClones(population, options, W, parents, origins, uids, parentOf, levelOf, ownLevel, before, startClasses);
  }

  /** Everything the clones' tables need at the end (checkpoints). */
  save(): CheckpointState {
    const { parents, origins, uids, parentOf, levelOf, ownLevel, before, startClasses, alive, deathEpoch, deathCause, last } = this;
    return { parents, origins: origins.map((o) => ({ ...o })), uids, parentOf, levelOf, ownLevel, before: { ...before }, startClasses, alive, deathEpoch, deathCause, last };
  }

  static restore(context: ExperimentContext, options: SoupClonesOptions, state: CheckpointState): SoupClones {
    const s = state as unknown as ClonesState;
    const clones = new SoupClones(context.population, options, context.network.weightCount, s.parents, s.origins, s.uids, s.parentOf, s.levelOf, s.ownLevel, s.before, s.startClasses);
    clones.alive.set(s.alive);
    clones.deathEpoch.set(s.deathEpoch);
    clones.deathCause.splice(0, clones.deathCause.length, ...s.deathCause);
    clones.last.set(s.last);
    return clones;
  }

  /** A particle leaves the soup (its weights still in `slot`): a clone's last weights are these. */
  readonly died = (slot: number, uid: number, cause: string, epoch: number): void => {
    const k = this.index.get(uid);
    if (k === undefined) return;
    this.alive[k] = 0;
    this.deathEpoch[k] = epoch;
    this.deathCause[k] = cause;
    this.last.set(this.population.weightsOf(slot), k * this.weightCount);
  };

  /** At the end of the run: every clone against its parent; emits the soup-clones tables. */
  finish(context: ExperimentContext): void {
    const { population } = this;
    const W = this.weightCount;
    const N = this.size;
    const slotOf = new Map<number, number>();
    population.uid.forEach((uid, slot) => slotOf.set(uid, slot));
    for (let k = 0; k < N; k++) {
      if (!this.alive[k]) continue;
      const slot = slotOf.get(this.uids[k]);
      if (slot !== undefined) this.last.set(population.weightsOf(slot), k * W);
    }
    const after = distancesOf(this.last, this.parents, this.parentOf, W);
    const classes = N > 0 ? context.classify({ data: this.last, index: Int32Array.from({ length: N }, (_, k) => k) }) : new Uint8Array(0);
    const d = this.options.distance;
    const moved = (name: DistanceName, k: number) => movement(this.before[name][k], after[name][k]);

    emitTable(context, {
      name: 'soup-clones',
      columns: [
        'clone',
        'parent',
        'parent_uid',
        'parent_origin',
        'level',
        'clone_level',
        ...DISTANCES.flatMap((name) => [`${name}_before`, `${name}_after`]),
        ...DISTANCES.map((name) => `movement_${name}`),
        'movement',
        'start_class',
        'class',
        'alive',
        'death_epoch',
        'death_cause',
      ],
      rows: Array.from(this.uids, (uid, k) => {
        const f = this.parentOf[k];
        return [
          uid,
          f,
          this.origins[f].uid,
          this.origins[f].origin,
          this.options.levels[this.levelOf[k]],
          this.ownLevel[k],
          ...DISTANCES.flatMap((name) => [this.before[name][k], after[name][k]]),
          ...DISTANCES.map((name) => moved(name, k)),
          moved(d, k),
          PARTICLE_CLASSES[this.startClasses[k]],
          PARTICLE_CLASSES[classes[k]],
          this.alive[k] === 1,
          this.alive[k] ? null : this.deathEpoch[k],
          this.deathCause[k],
        ];
      }),
    });
    emitTable(context, {
      name: 'soup-clones-levels',
      columns: ['level', 'clones', ...MOVEMENTS, `mean_${d}_before`, `mean_${d}_after`, ...PARTICLE_CLASSES.map((c) => `class_${c}`), 'alive'],
      rows: this.options.levels.map((level, l) => {
        const members = Array.from({ length: N }, (_, k) => k).filter((k) => this.levelOf[k] === l);
        const count = (test: (k: number) => boolean) => members.filter(test).length;
        return [
          level,
          members.length,
          ...MOVEMENTS.map((m) => count((k) => moved(d, k) === m)),
          mean(members.map((k) => this.before[d][k])),
          mean(members.map((k) => after[d][k])),
          ...PARTICLE_CLASSES.map((_, code) => count((k) => classes[k] === code)),
          count((k) => this.alive[k] === 1),
        ] as TableCell[];
      }),
    });
  }
}

/** What `save` records. */
interface ClonesState {
  readonly parents: Float32Array;
  readonly origins: readonly { readonly uid: number; readonly origin: string }[];
  readonly uids: Float64Array;
  readonly parentOf: Int32Array;
  readonly levelOf: Int32Array;
  readonly ownLevel: Float64Array;
  readonly before: Readonly<Record<DistanceName, Float64Array>>;
  readonly startClasses: Uint8Array;
  readonly alive: Uint8Array;
  readonly deathEpoch: Float64Array;
  readonly deathCause: readonly (string | null)[];
  readonly last: Float32Array;
}

function distancesOf(data: Float32Array, parents: Float32Array, parentOf: Int32Array, W: number): Record<DistanceName, Float64Array> {
  return Object.fromEntries(DISTANCES.map((name) => [name, distancesToParents(name, data, parents, parentOf, W)])) as Record<DistanceName, Float64Array>;
}

function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
