import { existsSync, readFileSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename, join } from 'node:path';
import { MAX_TEXT_FILE_BYTES, readBoundedJson } from '@srnn/bounded-file';
import { formatCount, MAX_FLOATS, PARTICLE_CLASSES, type CheckpointState, type ExperimentContext, type RunEventOf } from '@srnn/core';
import { writeFileAtomic } from '@srnn/runner';

export const TRAJECTORIES_FORMAT = 'srnn-trajectories/1';
export const TRAJECTORIES_INDEX_FILE = 'trajectories.json';
export const TRAJECTORIES_WEIGHTS_FILE = 'trajectories.f32';

/** What a trajectory is: one network's weights at a sequence of steps. */
export interface TrajectoryInfo {
  /** The network's uid. */
  readonly id: number;
  /** Its part in the experiment, e.g. "parent", "clone", "particle". */
  readonly role: string;
  /** uid of the network it was spawned from, -1 for none. */
  readonly parent: number;
  /** A grouping value, e.g. a clone's noise level; null for none. */
  readonly group: number | string | null;
  /** Its class at the last step (a PARTICLE_CLASSES name), null when unknown. */
  readonly class: string | null;
  /** The step of every row. */
  readonly steps: readonly number[];
}

export interface Trajectory extends TrajectoryInfo {
  /** [steps.length × weightCount], row k taken at steps[k]. */
  readonly weights: Float32Array;
}

export interface TrajectorySet {
  readonly weightCount: number;
  readonly trajectories: readonly Trajectory[];
}

/**
 * trajectories.json, the index of trajectories.f32 (raw little-endian float32, all trajectories'
 * rows one after another, each row `weightCount` values).
 */
export interface TrajectoriesIndex {
  readonly format: typeof TRAJECTORIES_FORMAT;
  readonly weights: string;
  readonly weightCount: number;
  readonly rows: number;
  /** In file order; `offset` is the trajectory's first row in the weights file. */
  readonly trajectories: readonly (TrajectoryInfo & { readonly offset: number })[];
}

/**
 * Collects trajectories step by step (copies of the weights), then hands them over as a set. One
 * that is not `recording` (nobody wants the trajectories) keeps the handles and copies nothing.
 */
export class TrajectoryRecorder {
  private readonly infos: { id: number; role: string; parent: number; group: number | string | null; class: string | null }[] = [];
  private readonly steps: number[][] = [];
  private readonly rows: Float32Array[][] = [];

  constructor(
    readonly weightCount: number,
    readonly recording = true,
  ) {}

  /** Starts a trajectory; returns its handle. */
  add(info: { id: number; role: string; parent?: number; group?: number | string | null }): number {
    this.infos.push({ id: info.id, role: info.role, parent: info.parent ?? -1, group: info.group ?? null, class: null });
    this.steps.push([]);
    this.rows.push([]);
    return this.infos.length - 1;
  }

  /** Appends a copy of `weights` (weightCount values from `offset`) to trajectory `handle`. */
  record(handle: number, step: number, weights: Float32Array, offset = 0): void {
    if (!this.recording) return;
    this.steps[handle].push(step);
    this.rows[handle].push(weights.slice(offset, offset + this.weightCount));
  }

  /** Appends row index[k] of `data` to trajectory handles[k], for every k. */
  recordBatch(handles: ArrayLike<number>, step: number, data: Float32Array, index: ArrayLike<number>): void {
    for (let k = 0; k < handles.length; k++) this.record(handles[k], step, data, index[k] * this.weightCount);
  }

  /** Sets the class codes (PARTICLE_CLASSES indices) at the end, handles[k] ← codes[k]. */
  setClasses(handles: ArrayLike<number>, codes: ArrayLike<number>): void {
    for (let k = 0; k < handles.length; k++) this.infos[handles[k]].class = PARTICLE_CLASSES[codes[k]] ?? null;
  }

  get size(): number {
    return this.infos.length;
  }

  /** The rows recorded so far (checkpoints; the trajectories themselves are the experiment's to add again). */
  saveRows(): CheckpointState {
    const W = this.weightCount;
    const counts = Int32Array.from(this.steps, (steps) => steps.length);
    const weights = new Float32Array(counts.reduce((a, n) => a + n, 0) * W);
    let at = 0;
    for (const rows of this.rows) for (const row of rows) weights.set(row, at++ * W);
    return { counts, steps: Float64Array.from(this.steps.flat()), weights };
  }

  /** Takes the rows `saveRows` saved, into the same trajectories (added again in the same order). */
  restoreRows(state: CheckpointState): void {
    const { counts, steps, weights } = state as { counts: Int32Array; steps: Float64Array; weights: Float32Array };
    if (counts.length !== this.infos.length) throw new Error(`trajectories: ${counts.length} saved, ${this.infos.length} added`);
    const W = this.weightCount;
    let at = 0;
    counts.forEach((n, h) => {
      this.steps[h] = Array.from(steps.subarray(at, at + n));
      this.rows[h] = Array.from({ length: n }, (_, k) => weights.slice((at + k) * W, (at + k + 1) * W));
      at += n;
    });
  }

  finish(): TrajectorySet {
    const W = this.weightCount;
    const trajectories = this.infos.map((info, h) => {
      const weights = new Float32Array(this.rows[h].length * W);
      this.rows[h].forEach((row, k) => weights.set(row, k * W));
      return { ...info, steps: this.steps[h].slice(), weights };
    });
    return { weightCount: W, trajectories };
  }
}

declare module '@srnn/core' {
  interface RunEventMap {
    /**
     * Detail: the weight trajectories an experiment recorded (emitTrajectories), written by the
     * trajectories sink; recorded only when somebody wants them (`context.wants('analysis-trajectories')`).
     */
    'analysis-trajectories': { readonly set: TrajectorySet };
  }
}

/** The event carrying a trajectory set from an experiment to the trajectories sink. */
export type TrajectoriesEvent = RunEventOf<'analysis-trajectories'>;

export function emitTrajectories(context: Pick<ExperimentContext, 'emit'>, set: TrajectorySet): void {
  context.emit({ kind: 'analysis-trajectories', set });
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Writes trajectories.f32 and trajectories.json into `dir` (each atomically); returns their paths. */
export function writeTrajectories(dir: string, set: TrajectorySet): string[] {
  const W = set.weightCount;
  let rows = 0;
  const entries = set.trajectories.map((t) => {
    if (t.weights.length !== t.steps.length * W) throw new Error(`trajectory ${t.id}: ${t.weights.length} weights for ${t.steps.length} steps of ${W}`);
    const { weights: _weights, ...info } = t;
    const entry = { ...info, steps: [...t.steps], offset: rows };
    rows += t.steps.length;
    return entry;
  });
  const data = new Float32Array(rows * W);
  let at = 0;
  for (const t of set.trajectories) {
    data.set(t.weights, at);
    at += t.weights.length;
  }
  const index: TrajectoriesIndex = { format: TRAJECTORIES_FORMAT, weights: TRAJECTORIES_WEIGHTS_FILE, weightCount: W, rows, trajectories: entries };
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const files: [string, string | Buffer][] = [
    [join(dir, TRAJECTORIES_WEIGHTS_FILE), LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32()],
    [join(dir, TRAJECTORIES_INDEX_FILE), indexJson(index)],
  ];
  for (const [path, content] of files) writeFileAtomic(path, content);
  return files.map(([path]) => path);
}

/** One trajectory per line, so that the index stays readable however many there are. */
function indexJson(index: TrajectoriesIndex): string {
  const head = { ...index, trajectories: undefined };
  const lines = index.trajectories.map((t) => '    ' + JSON.stringify(t, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  const text = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${text},\n  "trajectories": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/** The trajectory set of a results directory's trajectories.json/.f32, or undefined when there is none. */
export function readTrajectories(dir: string): TrajectorySet | undefined {
  const indexPath = join(dir, TRAJECTORIES_INDEX_FILE);
  if (!existsSync(indexPath)) return undefined;
  const index = readBoundedJson(indexPath, { bytes: MAX_TEXT_FILE_BYTES }) as TrajectoriesIndex;
  if (index.format !== TRAJECTORIES_FORMAT) throw new Error(`${indexPath}: not an ${TRAJECTORIES_FORMAT} index`);
  const W = index.weightCount;
  const data = readFloat32(dir, indexPath, index.weights, index.rows * W);
  const trajectories = index.trajectories.map(({ offset, ...info }) => ({
    ...info,
    weights: data.slice(offset * W, (offset + info.steps.length) * W),
  }));
  return { weightCount: W, trajectories };
}

/**
 * The trajectories in a soup's weight snapshots (snapshots.json + snapshots.f32, format
 * srnn-snapshots/1): one per particle uid, in order of first appearance, with its class at its last
 * snapshot; undefined when the directory has none.
 */
export function trajectoriesFromSnapshots(dir: string): TrajectorySet | undefined {
  const indexPath = join(dir, 'snapshots.json');
  if (!existsSync(indexPath)) return undefined;
  const index = readBoundedJson(indexPath, { bytes: MAX_TEXT_FILE_BYTES }) as {
    format: string;
    weights: string;
    size: number;
    weightCount: number;
    classes?: string[];
    snapshots: { step: number; uids: number[]; classes: number[] }[];
  };
  if (index.format !== 'srnn-snapshots/1') throw new Error(`${indexPath}: not an srnn-snapshots/1 index`);
  const W = index.weightCount;
  const data = readFloat32(dir, indexPath, index.weights, index.snapshots.length * index.size * W);
  const names = index.classes ?? [...PARTICLE_CLASSES];
  const byUid = new Map<number, { steps: number[]; rows: number[]; class: string | null }>();
  index.snapshots.forEach((snapshot, s) => {
    snapshot.uids.forEach((uid, p) => {
      let entry = byUid.get(uid);
      if (!entry) byUid.set(uid, (entry = { steps: [], rows: [], class: null }));
      entry.steps.push(snapshot.step);
      entry.rows.push(s * index.size + p);
      entry.class = names[snapshot.classes[p]] ?? null;
    });
  });
  const trajectories = [...byUid.entries()].map(([uid, entry]) => {
    const weights = new Float32Array(entry.rows.length * W);
    entry.rows.forEach((row, k) => weights.set(data.subarray(row * W, (row + 1) * W), k * W));
    return { id: uid, role: 'particle', parent: -1, group: null, class: entry.class, steps: entry.steps, weights };
  });
  return { weightCount: W, trajectories };
}

/**
 * The float32 file an index names: a file of the index's own directory (a name, not a path), a
 * regular file of exactly the size the index implies, checked before it is read — an index of
 * another origin must not make srnn read elsewhere, or from a device or a FIFO that never ends.
 */
function readFloat32(dir: string, indexPath: string, name: unknown, count: number): Float32Array {
  if (typeof name !== 'string' || name === '' || basename(name) !== name || name === '..') throw new Error(`${indexPath}: "weights" must name a file beside it, got ${JSON.stringify(name)}`);
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`${indexPath}: its sizes give ${count} weights`);
  // what the figures hold in memory at once (the file, the rows by particle): beyond it they would exhaust memory
  if (count > MAX_FLOATS)
    throw new Error(`${indexPath}: ${formatCount(count)} weights to read, more than srnn's limit of ${formatCount(MAX_FLOATS)} (2^28) for one figure: record fewer (e.g. a larger snapshotEvery)`);
  const path = join(dir, name);
  const stats = statSync(path);
  if (!stats.isFile()) throw new Error(`${path}: not a regular file`);
  if (stats.size !== count * 4) throw new Error(`${path}: ${stats.size} bytes, expected ${count * 4} (from ${basename(indexPath)})`);
  const bytes = readFileSync(path);
  if (bytes.length !== count * 4) throw new Error(`${path}: ${bytes.length} bytes, expected ${count * 4}`);
  const out = new Float32Array(count); // a fresh, aligned buffer
  const view = new Uint8Array(out.buffer);
  view.set(bytes);
  if (!LITTLE_ENDIAN) Buffer.from(out.buffer).swap32();
  return out;
}
