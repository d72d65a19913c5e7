import { stringify } from 'yaml';
import { Pca } from '@srnn/analysis';
import { PARTICLE_CLASSES, type Census, type PopulationSnapshot, type ResolvedScenario, type RunEvent, type RunInfo } from '@srnn/core';
import type { InteractionsEvent } from '@srnn/soup';

export type RunStatus = 'waiting' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

/** Points of the latest snapshot's PCA sent at most (evenly spaced over the population). */
const MAX_POINTS = 5000;
/** Particles followed across snapshots for the 3D trajectories. */
const MAX_TRAJECTORIES = 40;
/** Snapshots kept per trajectory at most: beyond, every other one is dropped (the first and the latest always stay). */
const MAX_TRAJECTORY_ROWS = 200;

/** Scenario and run facts shown on the page. */
export interface RunFacts {
  readonly name: string | null;
  readonly architecture: string;
  readonly experiment: string;
  readonly populationSize: number;
  readonly weightCount: number;
  readonly totalWork: number;
  readonly backend: string;
  readonly srnnVersion: string;
  readonly seed: number;
  readonly scenarioYaml: string;
}

class Column {
  private data = new Float64Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  from(start: number): Float64Array {
    return this.data.subarray(start, this.length);
  }
}

interface Trajectory {
  readonly uid: number;
  readonly steps: number[];
  readonly rows: Float32Array[];
  cls: number;
}

/**
 * Everything the dashboard shows of one run, accumulated from its events (live) or from its
 * results files (finished): columns that only grow, so that each connection is sent what it has
 * not seen yet, and the latest snapshot. `version` changes whenever anything does.
 */
export class DashboardState {
  version = 0;
  status: RunStatus = 'waiting';
  error: string | undefined;
  facts: RunFacts | undefined;
  readonly census = { step: new Column(), counts: PARTICLE_CLASSES.map(() => new Column()), loss: new Column() };
  progress = { done: 0, total: 0, ratePerSecond: 0, elapsedMs: 0 };
  /** Interactions per epoch by code, births and deaths; recorded only while somebody watches (detail events). */
  readonly epochs = { step: new Column(), counts: [] as Column[], births: new Column(), deaths: new Column(), codes: [] as string[] };
  snapshot: PopulationSnapshot | undefined;
  snapshotVersion = 0;
  private readonly trajectories = new Map<number, Trajectory>();
  private projected: { version: number; value: Projections | undefined } | undefined;
  private readonly started = performance.now();
  private rateSample = { at: performance.now(), done: 0 };

  /** Takes in one event of the run. */
  apply(event: RunEvent): void {
    switch (event.kind) {
      case 'run-started':
        this.facts = facts(event.info);
        this.status = 'running';
        break;
      case 'census':
        this.addCensus(event.step, event.census, event.meanLoss);
        break;
      case 'progress':
        this.addProgress(event.done, event.total);
        break;
      case 'interactions':
        this.addEpoch(event);
        break;
      case 'snapshot':
        this.addSnapshot(event.population);
        break;
      case 'run-finished':
        this.status = event.stopped ? 'stopped' : 'finished';
        this.progress.elapsedMs = event.elapsedMs;
        if (!this.snapshot || this.snapshot.step < event.population.step) this.addSnapshot(event.population, false);
        break;
      case 'run-failed':
        this.status = 'failed';
        this.error = event.error.message;
        break;
      default:
        return;
    }
    this.version++;
  }

  setStatus(status: RunStatus): void {
    this.status = status;
    this.version++;
  }

  addCensus(step: number, census: Census, meanLoss: number | null | undefined): void {
    this.census.step.push(step);
    PARTICLE_CLASSES.forEach((c, i) => this.census.counts[i].push(census[c]));
    this.census.loss.push(meanLoss ?? NaN);
    this.version++;
  }

  private addProgress(done: number, total: number): void {
    const now = performance.now();
    const { at, done: before } = this.rateSample;
    if (now - at >= 1000) {
      this.progress.ratePerSecond = ((done - before) * 1000) / (now - at);
      this.rateSample = { at: now, done };
    }
    this.progress = { ...this.progress, done, total, elapsedMs: now - this.started };
  }

  private addEpoch(event: InteractionsEvent): void {
    const { epochs } = this;
    if (epochs.codes.length === 0) {
      epochs.codes = [...event.codes];
      epochs.counts = event.codes.map(() => new Column());
    }
    const counts = new Float64Array(epochs.codes.length);
    for (const code of event.interactions.code) counts[code]++;
    epochs.step.push(event.step);
    epochs.counts.forEach((column, code) => column.push(counts[code]));
    epochs.births.push(event.births.uid.length);
    epochs.deaths.push(event.deaths.uid.length);
  }

  /** The latest snapshot, and its rows of the followed particles for the trajectories. */
  addSnapshot(snapshot: PopulationSnapshot, follow = true): void {
    this.snapshot = snapshot;
    this.snapshotVersion++;
    this.version++;
    if (!follow) return;
    const W = snapshot.weightCount;
    const slots = new Map<number, number>();
    snapshot.uids.forEach((uid, slot) => slots.set(uid, slot));
    const alive = [...this.trajectories.values()].filter((t) => slots.has(t.uid)).length;
    if (alive < MAX_TRAJECTORIES) {
      for (const slot of evenlySpaced(snapshot.uids.length, MAX_TRAJECTORIES - alive)) {
        const uid = snapshot.uids[slot];
        if (!this.trajectories.has(uid)) this.trajectories.set(uid, { uid, steps: [], rows: [], cls: 0 });
      }
    }
    for (const t of this.trajectories.values()) {
      const slot = slots.get(t.uid);
      if (slot === undefined) continue;
      t.steps.push(snapshot.step);
      t.rows.push(snapshot.weights.slice(slot * W, (slot + 1) * W));
      t.cls = snapshot.classes[slot];
      if (t.rows.length > MAX_TRAJECTORY_ROWS) {
        const keep = (_: unknown, k: number) => k % 2 === 0 || k === t.rows.length - 1;
        t.steps.splice(0, t.steps.length, ...t.steps.filter(keep));
        t.rows.splice(0, t.rows.length, ...t.rows.filter(keep));
      }
    }
  }

  /** The latest snapshot in the plane of its own PCA (at most MAX_POINTS particles), and the followed particles' paths in a PCA of their rows. */
  projections(): Projections | undefined {
    if (this.projected?.version !== this.snapshotVersion) this.projected = { version: this.snapshotVersion, value: this.project() };
    return this.projected.value;
  }

  private project(): Projections | undefined {
    const snapshot = this.snapshot;
    if (!snapshot) return undefined;
    const W = snapshot.weightCount;
    const picked = evenlySpaced(snapshot.uids.length, MAX_POINTS);
    const rows = new Float32Array(picked.length * W);
    picked.forEach((slot, k) => rows.set(snapshot.weights.subarray(slot * W, (slot + 1) * W), k * W));
    const points = project(rows, W, picked.length);
    const classes = Uint8Array.from(picked, (slot) => snapshot.classes[slot]);
    const paths = [...this.trajectories.values()].filter((t) => t.rows.length > 0);
    let trajectories: ProjectedTrajectory[] = [];
    if (paths.length > 0) {
      const all = new Float32Array(paths.reduce((n, t) => n + t.rows.length, 0) * W);
      let offset = 0;
      for (const t of paths) for (const row of t.rows) all.set(row, (offset++ * W) as number);
      const projected = project(all, W, offset);
      offset = 0;
      trajectories = paths.map((t) => {
        const n = t.rows.length;
        const out = { uid: t.uid, cls: t.cls, steps: Float64Array.from(t.steps), x: projected.x.slice(offset, offset + n), y: projected.y.slice(offset, offset + n) };
        offset += n;
        return out;
      });
    }
    return { points: { ...points, classes, step: snapshot.step }, trajectories };
  }
}

export interface Projections {
  readonly points: Projected;
  readonly trajectories: ProjectedTrajectory[];
}

export interface Projected {
  readonly step: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly classes: Uint8Array;
  readonly explained: readonly number[];
}

export interface ProjectedTrajectory {
  readonly uid: number;
  readonly cls: number;
  readonly steps: Float64Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
}

function project(rows: Float32Array, W: number, n: number): Omit<Projected, 'classes' | 'step'> {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  let explained: readonly number[] = [];
  try {
    const pca = Pca.fit(rows, W, 2);
    const projected = pca.project(rows);
    for (let k = 0; k < n; k++) {
      x[k] = projected[k * pca.size];
      y[k] = pca.size > 1 ? projected[k * pca.size + 1] : 0;
    }
    explained = pca.explainedVarianceRatio;
  } catch {
    x.fill(NaN); // no finite row to fit on: every particle divergent
    y.fill(NaN);
  }
  return { x, y, explained };
}

function facts(info: RunInfo): RunFacts {
  return scenarioFacts(info.scenario, { weightCount: info.weightCount, totalWork: info.totalWork, backend: info.backend, srnnVersion: info.srnnVersion });
}

export function scenarioFacts(scenario: ResolvedScenario, run: Pick<RunFacts, 'weightCount' | 'totalWork' | 'backend' | 'srnnVersion'>): RunFacts {
  return {
    name: scenario.name ?? null,
    architecture: scenario.architecture.type,
    experiment: scenario.experiment.type,
    populationSize: scenario.population.size,
    seed: scenario.seed,
    scenarioYaml: stringify(scenario),
    ...run,
  };
}

/** Indices of at most `max` of n items, evenly spaced. */
export function evenlySpaced(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  return Array.from({ length: max }, (_, k) => Math.floor((k * n) / max));
}
