import { injectable } from 'inversify';
import { z } from 'zod';
import { floatsProblem, PARTICLE_CLASSES, ParticleClassCode, type CheckContext, type CheckpointState, type Experiment, type ExperimentContext, type ScenarioIssue } from '@srnn/core';
import {
  cloneLevel as drawCloneLevel,
  decades,
  DISTANCES,
  distancesToParents,
  emitTable,
  emitTrajectories,
  movement,
  MOVEMENTS,
  perturb,
  perturbFixed,
  replicationLoss,
  SelfTrainer,
  trainingShape,
  TrajectoryRecorder,
  type DistanceName,
  type TableCell,
} from '@srnn/analysis';

export const CLONES_TABLES = ['clones', 'clones-parents', 'clones-levels'] as const;

const optionsSchema = z
  .object({
    parentSteps: z.number().int().min(0).default(2500).describe('self-training steps of the parents before clones are spawned'),
    steps: z.number().int().min(0).default(2500).describe('self-training steps of parents and clones after the spawn'),
    ...trainingShape,
    clones: z.number().int().positive().default(10).describe('clones per fixpoint parent and noise level'),
    levels: z.array(z.number().positive()).min(1).default(decades(-1, -10)).describe('noise levels; a clone draws its own level as U(0,1)·noise'),
    parents: z
      .enum(['all', 'per-level'])
      .default('all')
      .describe(
        "which parents a level's clones come from: 'all' — every fixpoint parent gets clones at every level; 'per-level' — parent i (in population order) serves level i mod L only, so each level has its own fresh parents (the authors' figure: 5 per level)",
      ),
    perturbation: z
      .enum(['uniform', 'fixed'])
      .default('uniform')
      .describe("at a clone's level: 'uniform' moves each weight by ± U(0,1)·level (PAPER.md §3, the authors' code), 'fixed' by exactly ± level (a variant)"),
    distance: z.enum(DISTANCES).default('mae').describe("the distance that decides approaching / distancing / stationary (the authors' figure: MAE; all three are recorded)"),
    snapshotEvery: z.number().int().positive().optional().describe('steps between trajectory snapshots (default: about 100 over the run)'),
  })
  .strict();
type ClonesOptions = z.output<typeof optionsSchema>;

/**
 * PAPER.md §4.5, clones and attractor basins. The population (the parents) self-trains
 * `parentSteps` steps; every parent that is then a fixpoint gets `clones` noisy copies per noise
 * level it serves — every level, or with `parents: per-level` level i mod L for parent i — (the
 * run's `clone-noise` stream; parent-major, then level, then clone), each at its own level
 * U(0,1)·noise. Parents and clones self-train `steps` more steps (clones with fresh momentum).
 * Each clone's MAE, MSE and MIM distance to its parent's spawn-time weights before and after say
 * whether it approached, distanced or stayed (exactly equal distances).
 *
 * Results: clones (every clone), clones-parents, clones-levels (.csv and .json), and the weight
 * trajectories of parents (from step 0) and clones (from the spawn) for a shared PCA. Clones get
 * ids after the population's uids. Censuses cover the parents.
 */
@injectable()
export class ClonesExperiment implements Experiment<typeof optionsSchema> {
  readonly type = 'clones';
  readonly description = "self-train parents, spawn noisy clones of every fixpoint per noise level, train on, and compare each clone's distance to its parent before and after";
  readonly optionsSchema = optionsSchema;
  /** Self-training steps: of the parents, then of parents and clones. */
  readonly checkpointUnit = 'steps';

  totalWork(options: ClonesOptions): number {
    const { parentSteps, steps } = options;
    return parentSteps + steps;
  }

  /** Whether the clones fit if every parent is a fixpoint (population.size × levels × clones). */
  check(options: ClonesOptions, { scenario, network }: CheckContext): readonly ScenarioIssue[] {
    const P = scenario.population.size;
    const clones = floatsProblem(P * options.levels.length * options.clones, network.weightCount, 'clones (population.size × levels × clones)');
    if (clones) return [{ path: ['experiment', 'clones'], message: clones }];
    // the trajectory rows recorded (at most: every parent a fixpoint), which the run keeps until it writes them
    const every = options.snapshotEvery ?? Math.max(1, Math.ceil(this.totalWork(options) / 100));
    const rows = P * (Math.floor(options.parentSteps / every) + 2) + (P + P * options.levels.length * options.clones) * (Math.floor(options.steps / every) + 2);
    const recorded = floatsProblem(rows, network.weightCount, 'trajectory rows (parents and clones × snapshots)');
    return recorded ? [{ path: ['experiment', options.snapshotEvery === undefined ? 'steps' : 'snapshotEvery'], message: recorded }] : [];
  }

  async run(context: ExperimentContext, options: ClonesOptions): Promise<void> {
    const { population, network, kernels } = context;
    const W = network.weightCount;
    const P = population.size;
    const total = this.totalWork(options);
    const snapshotEvery = options.snapshotEvery ?? Math.max(1, Math.ceil(total / 100));
    const censusEvery = Math.max(1, Math.ceil(total / 50));
    const recorder = new TrajectoryRecorder(W, context.wants('analysis-trajectories'));
    const parentIndex = population.all();
    const parentHandles = Array.from(parentIndex, (slot) => recorder.add({ id: population.uid[slot], role: 'parent' }));
    const restored = context.restored as ClonesState | undefined;
    const parents = new SelfTrainer(context, population.weights, parentIndex, options);
    if (restored) parents.restoreMomentum(restored.parentsMomentum);

    // phase 1: parents
    const parentsFrom = restored?.phase === 'parents' ? restored.step : restored ? options.parentSteps : 0;
    if (restored?.phase === 'parents') recorder.restoreRows(restored.trajectories);
    if (!restored) {
      context.census(0);
      recorder.recordBatch(parentHandles, 0, population.weights, parentIndex);
    }
    for (let step = parentsFrom + 1; step <= options.parentSteps; step++) {
      parents.step(context);
      if (step % censusEvery === 0 || step === options.parentSteps) context.census(step, { meanLoss: parents.meanLoss() });
      if (step % snapshotEvery === 0 || step === options.parentSteps) recorder.recordBatch(parentHandles, step, population.weights, parentIndex);
      await context.progress(step, total);
      await context.checkpoint(step, (): ClonesState => ({ phase: 'parents', step, parentsMomentum: parents.momentum, trajectories: recorder.saveRows() }));
    }

    // spawn
    const spawned = restored?.phase === 'clones' ? (restored.spawned as unknown as Spawned) : spawnClones(context, options);
    const { spawnClasses, reference, clones, cloneParent, cloneLevel, cloneNoise, before, startClasses, lossBefore, parentLossSpawn } = spawned;
    const L = options.levels.length;
    const C = options.clones;
    const N = cloneParent.length;
    const cloneIndex = Int32Array.from({ length: N }, (_, k) => k);
    const cloneBatch = { data: clones, index: cloneIndex };
    const cloneIds = Array.from({ length: N }, (_, k) => P + k);
    const cloneHandles = cloneIds.map((id, k) => recorder.add({ id, role: 'clone', parent: population.uid[cloneParent[k]], group: options.levels[cloneLevel[k]] }));
    /** MAE, MSE and MIM of rows k of `data` to the spawn-time weights of parent slot parentOf[k]. */
    const distancesOf = (data: Float32Array, parentOf: ArrayLike<number>) => distancesToReference(data, reference, parentOf, W);
    if (restored?.phase === 'clones') recorder.restoreRows(restored.trajectories);
    else recorder.recordBatch(cloneHandles, options.parentSteps, clones, cloneIndex);

    // phase 2: parents and clones
    const clonesTrainer = new SelfTrainer(context, clones, cloneIndex, options);
    if (restored?.phase === 'clones') clonesTrainer.restoreMomentum(restored.clonesMomentum);
    for (let s = (restored?.phase === 'clones' ? restored.step : 0) + 1; s <= options.steps; s++) {
      const step = options.parentSteps + s;
      parents.step(context);
      if (N > 0) clonesTrainer.step(context);
      if (step % censusEvery === 0 || s === options.steps) context.census(step, { meanLoss: parents.meanLoss() });
      if (step % snapshotEvery === 0 || s === options.steps) {
        recorder.recordBatch(parentHandles, step, population.weights, parentIndex);
        recorder.recordBatch(cloneHandles, step, clones, cloneIndex);
      }
      await context.progress(step, total);
      await context.checkpoint(step, (): ClonesState => ({
        phase: 'clones',
        step: s,
        parentsMomentum: parents.momentum,
        clonesMomentum: clonesTrainer.momentum,
        spawned: { ...spawned, before: { ...before } },
        trajectories: recorder.saveRows(),
      }));
    }

    // results
    const after = distancesOf(clones, cloneParent);
    const finalClasses = N > 0 ? context.classify(cloneBatch) : new Uint8Array(0);
    const lossAfter = N > 0 ? replicationLoss(kernels, cloneBatch, W) : new Float64Array(0);
    const parentClasses = context.classify({ data: population.weights, index: parentIndex });
    const parentLoss = replicationLoss(kernels, { data: population.weights, index: parentIndex }, W);
    const drift = distancesOf(population.weights, parentIndex);
    recorder.setClasses(parentHandles, parentClasses);
    recorder.setClasses(cloneHandles, finalClasses);
    const moved = (d: DistanceName, k: number) => movement(before[d][k], after[d][k]);

    emitTable(context, {
      name: 'clones',
      columns: [
        'clone',
        'parent_uid',
        'level',
        'clone_level',
        ...DISTANCES.flatMap((d) => [`${d}_before`, `${d}_after`]),
        ...DISTANCES.map((d) => `movement_${d}`),
        'movement',
        'start_class',
        'class',
        'loss_before',
        'loss_after',
      ],
      rows: cloneIds.map((id, k) => [
        id,
        population.uid[cloneParent[k]],
        options.levels[cloneLevel[k]],
        cloneNoise[k],
        ...DISTANCES.flatMap((d) => [before[d][k], after[d][k]]),
        ...DISTANCES.map((d) => moved(d, k)),
        moved(options.distance, k),
        PARTICLE_CLASSES[startClasses[k]],
        PARTICLE_CLASSES[finalClasses[k]],
        lossBefore[k],
        lossAfter[k],
      ]),
    });
    emitTable(context, {
      name: 'clones-parents',
      columns: ['parent_uid', 'level', 'spawn_class', 'class', 'clones', 'loss_spawn', 'loss_after', ...DISTANCES.map((d) => `drift_${d}`)],
      rows: Array.from(parentIndex, (slot, k) => [
        population.uid[slot],
        options.parents === 'per-level' ? options.levels[slot % L] : null,
        PARTICLE_CLASSES[spawnClasses[k]],
        PARTICLE_CLASSES[parentClasses[k]],
        spawnClasses[k] === ParticleClassCode.fixpoint ? servedLevels(options, slot).length * C : 0,
        parentLossSpawn[k],
        parentLoss[k],
        ...DISTANCES.map((d) => drift[d][k]),
      ]),
    });
    emitTable(context, {
      name: 'clones-levels',
      columns: ['level', 'parents', 'clones', ...MOVEMENTS, `mean_${options.distance}_before`, `mean_${options.distance}_after`, ...PARTICLE_CLASSES.map((c) => `class_${c}`), 'mean_loss_after'],
      rows: options.levels.map((level, l) => {
        const members = cloneIds.map((_, k) => k).filter((k) => cloneLevel[k] === l);
        const count = (test: (k: number) => boolean) => members.filter(test).length;
        return [
          level,
          new Set(members.map((k) => cloneParent[k])).size,
          members.length,
          ...MOVEMENTS.map((m) => count((k) => moved(options.distance, k) === m)),
          mean(members.map((k) => before[options.distance][k])),
          mean(members.map((k) => after[options.distance][k])),
          ...PARTICLE_CLASSES.map((_, code) => count((k) => finalClasses[k] === code)),
          mean(members.map((k) => lossAfter[k])),
        ] as TableCell[];
      }),
    });
    if (recorder.recording) emitTrajectories(context, recorder.finish());
  }
}

/**
 * What a clones run saves at a checkpoint (unit: steps — of the parents alone, then of parents and
 * clones): the step, the momentum buffers and the trajectories recorded so far; after the spawn
 * also the spawn's records (Spawned). The parents' weights are the population's.
 */
type ClonesState =
  | { readonly phase: 'parents'; readonly step: number; readonly parentsMomentum: Float32Array | null; readonly trajectories: CheckpointState }
  | {
      readonly phase: 'clones';
      readonly step: number;
      readonly parentsMomentum: Float32Array | null;
      readonly clonesMomentum: Float32Array | null;
      readonly spawned: CheckpointState;
      readonly trajectories: CheckpointState;
    };

/** The spawn: the parents' classes and weights then, the clones (weights, parent slot, level, own noise) and what they started from. */
interface Spawned {
  readonly spawnClasses: Uint8Array;
  /** Every parent's spawn-time weights, [P × W]. */
  readonly reference: Float32Array;
  /** The clones' weights, [N × W] (trained in place). */
  readonly clones: Float32Array;
  readonly cloneParent: Int32Array;
  /** Index into options.levels. */
  readonly cloneLevel: Int32Array;
  readonly cloneNoise: Float64Array;
  readonly before: Record<DistanceName, Float64Array>;
  readonly startClasses: Uint8Array;
  readonly lossBefore: Float64Array;
  readonly parentLossSpawn: Float64Array;
}

/** Indices into options.levels of the levels the parent in population slot `slot` serves. */
function servedLevels(options: ClonesOptions, slot: number): number[] {
  return options.parents === 'per-level' ? [slot % options.levels.length] : options.levels.map((_, l) => l);
}

/** MAE, MSE and MIM of rows k of `data` to the rows parentOf[k] of `reference`. */
function distancesToReference(data: Float32Array, reference: Float32Array, parentOf: ArrayLike<number>, W: number): Record<DistanceName, Float64Array> {
  return Object.fromEntries(DISTANCES.map((d) => [d, distancesToParents(d, data, reference, parentOf, W)])) as Record<DistanceName, Float64Array>;
}

/** Spawns `clones` noisy copies of every parent that is a fixpoint now, per level it serves (parent-major, then level, then clone). */
function spawnClones(context: ExperimentContext, options: ClonesOptions): Spawned {
  const { population, network, kernels } = context;
  const W = network.weightCount;
  const parentIndex = population.all();
  const spawnClasses = context.classify({ data: population.weights, index: parentIndex });
  const C = options.clones;
  const fixpointSlots = Array.from(parentIndex).filter((_, k) => spawnClasses[k] === ParticleClassCode.fixpoint);
  const N = fixpointSlots.reduce((n, slot) => n + servedLevels(options, slot).length * C, 0);
  const reference = population.weights.slice(); // every parent's spawn-time weights
  const clones = new Float32Array(N * W);
  const cloneParent = new Int32Array(N); // parent slot
  const cloneLevel = new Int32Array(N);
  const cloneNoise = new Float64Array(N);
  const rng = context.random.stream('clone-noise');
  const disturb = options.perturbation === 'uniform' ? perturb : perturbFixed;
  let n = 0;
  for (const slot of fixpointSlots) {
    const parent = population.weightsOf(slot);
    for (const l of servedLevels(options, slot)) {
      for (let c = 0; c < C; c++, n++) {
        cloneParent[n] = slot;
        cloneLevel[n] = l;
        cloneNoise[n] = drawCloneLevel(options.levels[l], rng);
        disturb(parent, cloneNoise[n], rng, clones.subarray(n * W, (n + 1) * W));
      }
    }
  }
  const cloneBatch = { data: clones, index: Int32Array.from({ length: N }, (_, k) => k) };
  return {
    spawnClasses,
    reference,
    clones,
    cloneParent,
    cloneLevel,
    cloneNoise,
    before: distancesToReference(clones, reference, cloneParent, W),
    startClasses: N > 0 ? context.classify(cloneBatch) : new Uint8Array(0),
    lossBefore: N > 0 ? replicationLoss(kernels, cloneBatch, W) : new Float64Array(0),
    parentLossSpawn: replicationLoss(kernels, { data: population.weights, index: parentIndex }, W),
  };
}

function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
