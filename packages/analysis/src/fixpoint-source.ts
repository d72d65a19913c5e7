import { resolve } from 'node:path';
import { z } from 'zod';
import { BoundedFileError, readBoundedJson } from '@srnn/bounded-file';
import {
  fileReferenceSchema,
  InitError,
  ParticleClassCode,
  weightsFileLimit,
  weightVector,
  withBinaryWeights,
  type CheckContext,
  type CheckpointState,
  type ExperimentContext,
  type KeyPath,
  type ScenarioIssue,
} from '@srnn/core';
import type { PhaseCheckpoints } from './phase-checkpoints';
import { handMadeFixpoint } from './replication';
import { selfTrainPopulation, trainingSchema } from './self-training';

const fileSource = fileReferenceSchema('a weights.json of an earlier run: its particles classified "fixpoint" are taken');
const trainSource = z.object({ train: trainingSchema.describe('self-train the population first; the particles that end as fixpoints are taken') }).strict();

/**
 * Where an analysis experiment's fixpoints come from:
 * - `hand-made`: every particle of the population is set to the hand-made fixpoint of PAPER.md §2
 *   (weightwise 4 → 2 → 2 → 1, no bias), so there are population.size copies (1 for the paper);
 * - `population`: the population's particles that are fixpoints as initialised (e.g. with
 *   `population.init: { file: … }`, which resolves relative to the scenario file);
 * - `{ file }`: the particles of a weights.json classified "fixpoint" there (the population is not
 *   used; srnn makes the path absolute, relative to the scenario file, when it loads the scenario);
 * - `{ train: { steps, lr, momentum, batch } }`: the population self-trained first (with censuses),
 *   keeping the particles that end as fixpoints.
 */
export const fixpointSourceSchema = z.union([z.enum(['hand-made', 'population']), fileSource, trainSource]);

/** The same without `hand-made`, for experiments that need several distinct fixpoints. */
export const fixpointsSourceSchema = z.union([z.enum(['population']), fileSource, trainSource]);
export type FixpointSource = z.output<typeof fixpointSourceSchema>;

/** Steps of work a source takes (self-training steps), for `totalWork`. */
export function sourceWork(source: FixpointSource): number {
  return typeof source === 'object' && 'train' in source ? source.train.steps : 0;
}

/** What `checkFixpointSource` finds: the issues, and how many fixpoints the source can give at most. */
export interface FixpointSourceCheck {
  readonly issues: readonly ScenarioIssue[];
  /** A file's fixpoints; else one per particle (`hand-made` gives exactly that many). */
  readonly maxCount: number;
}

/**
 * What would stop `obtainFixpoints` before its first step, for the source written at `path` of
 * the scenario (an experiment's load-time check): a hand-made fixpoint for a network it is not
 * defined for, or that the scenario's classification does not call a fixpoint; a `{ file }` that
 * cannot be read, is not a weights.json, has vectors of the wrong length or fewer than `needed`
 * fixpoints (at path.file).
 */
export function checkFixpointSource(source: FixpointSource, path: KeyPath, context: CheckContext, needed = 0): FixpointSourceCheck {
  const { network, scenario } = context;
  const P = scenario.population.size;
  if (source === 'hand-made') {
    let weights: Float32Array;
    try {
      weights = handMadeFixpoint(network);
    } catch (error) {
      return { issues: [{ path, message: (error as Error).message }], maxCount: P };
    }
    const found = context.classify(weights);
    if (found !== 'fixpoint') {
      return { issues: [{ path, message: `the hand-made weights are classified ${found}, not fixpoint, by this ${network.type} network under the scenario's classify settings` }], maxCount: P };
    }
  }
  if (typeof source === 'object' && 'file' in source) {
    const where = [...path, 'file'];
    let found: Fixpoints;
    try {
      found = fixpointsOfFile(resolve(source.file), network.weightCount);
    } catch (error) {
      return { issues: [{ path: where, message: (error as Error).message }], maxCount: 0 };
    }
    const short =
      found.count < needed ? [{ path: where, message: `fixpoints file ${resolve(source.file)}: ${found.count} particle${found.count === 1 ? '' : 's'} classified "fixpoint", ${needed} needed` }] : [];
    return { issues: short, maxCount: found.count };
  }
  return { issues: [], maxCount: P };
}

/** The fixpoints an experiment works on, [count × W], and where each came from. */
export interface Fixpoints {
  readonly weights: Float32Array;
  readonly count: number;
  /** Per fixpoint: the population uid or the file's uid (-1 for the hand-made one) and a label. */
  readonly origins: readonly { readonly uid: number; readonly origin: string }[];
}

/**
 * Obtains the fixpoints of a source. Self-training reports progress as steps 1 … steps of `total`,
 * with censuses; `hand-made` and `population` take one census (step 0) of the population they
 * test. The hand-made fixpoint must be a fixpoint under the run's classification, else this throws.
 * A `{ file }` that cannot be read or is no weights.json is an InitError at `at`.file (the
 * source's key in the scenario), which the run locates in the scenario file. With `phase`, the
 * self-training of a `train` source checkpoints and resumes (see selfTrainPopulation); the other
 * sources have no units.
 */
export async function obtainFixpoints(context: ExperimentContext, source: FixpointSource, total: number, at: KeyPath = ['experiment', 'fixpoints'], phase?: PhaseCheckpoints): Promise<Fixpoints> {
  const { network, population } = context;
  const W = network.weightCount;
  if (source === 'hand-made') {
    const weights = handMadeFixpoint(network);
    for (let slot = 0; slot < population.size; slot++) population.weightsOf(slot).set(weights);
    const code = context.classify({ data: weights, index: Int32Array.of(0) })[0];
    if (code !== ParticleClassCode.fixpoint) {
      throw new Error(`the hand-made weights are not a fixpoint of this ${network.type} network under the run's classification`);
    }
  }
  if (typeof source === 'object' && 'file' in source) {
    try {
      return fixpointsOfFile(resolve(source.file), W);
    } catch (error) {
      throw new InitError([...at, 'file'], (error as Error).message);
    }
  }
  if (typeof source === 'object' && 'train' in source) await selfTrainPopulation(context, source.train, 0, total, phase);
  else context.census(0);
  const everyone = { data: population.weights, index: population.all() };
  const classes = context.classify(everyone);
  const slots = everyone.index.filter((_, k) => classes[k] === ParticleClassCode.fixpoint);
  const weights = new Float32Array(slots.length * W);
  slots.forEach((slot, k) => weights.set(population.weightsOf(slot), k * W));
  const origin = typeof source === 'string' ? source : 'trained';
  return { weights, count: slots.length, origins: Array.from(slots, (slot) => ({ uid: population.uid[slot], origin })) };
}

/** Fixpoints as a checkpoint saves them. */
export function fixpointsState(fixpoints: Fixpoints): CheckpointState {
  const { weights, count, origins } = fixpoints;
  return { weights, count, uids: Float64Array.from(origins, (o) => o.uid), origins: origins.map((o) => o.origin) };
}

/** The fixpoints `fixpointsState` saved. */
export function restoreFixpoints(state: CheckpointState): Fixpoints {
  const { weights, count, uids, origins } = state as { weights: Float32Array; count: number; uids: Float64Array; origins: string[] };
  return { weights, count, origins: origins.map((origin, f) => ({ uid: uids[f], origin })) };
}

/** A fixpoints file is a weights.json of at most this many particles (its size limit follows). */
const MAX_FIXPOINTS_FILE_PARTICLES = 1_000_000;

function fixpointsOfFile(file: string, W: number): Fixpoints {
  let json: unknown;
  try {
    json = readBoundedJson(file, weightsFileLimit(MAX_FIXPOINTS_FILE_PARTICLES, W));
  } catch (error) {
    if (!(error instanceof BoundedFileError)) throw error;
    throw new Error(`fixpoints file ${error.message}`, { cause: error });
  }
  return parseFixpoints(withBinaryWeights(json, file), file, W);
}

/** The particles classified "fixpoint" of a weights.json (weights as numbers or "NaN", "Infinity", "-Infinity"). */
export function parseFixpoints(json: unknown, file: string, W: number): Fixpoints {
  const particles = (json as { particles?: unknown } | null)?.particles;
  if (!Array.isArray(particles)) throw new Error(`fixpoints file ${file}: expected a weights.json ({ "particles": [ { "uid", "class", "weights" } ] })`);
  const chosen = particles.filter((p) => (p as { class?: unknown })?.class === 'fixpoint') as { uid?: unknown; weights?: unknown }[];
  const weights = new Float32Array(chosen.length * W);
  chosen.forEach((p, k) => {
    const v = weightVector(p.weights, W);
    if (!v) throw new Error(`fixpoints file ${file}: particle ${typeof p.uid === 'number' ? p.uid : k} does not have ${W} numeric weights`);
    weights.set(v, k * W);
  });
  return { weights, count: chosen.length, origins: chosen.map((p, k) => ({ uid: typeof p.uid === 'number' ? p.uid : k, origin: 'file' })) };
}
