import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { emptyCensus, PARTICLE_CLASSES, type ResolvedScenario } from '@srnn/core';
import { readCensus, readSweepRuns } from '@srnn/plot';
import { DashboardState } from './dashboard-state';
import type { DashboardSource, SweepTable } from './dashboard-server';

const RESOLVED = 'scenario.resolved.yaml';

/**
 * A finished run's or sweep's results directory, read once: the census over time, the final
 * summary, the snapshots (PCA and trajectories) and the scenario; a sweep's tables, and each run
 * under runs/ (read when a page first asks for it).
 */
export class ResultsSource implements DashboardSource {
  private readonly runs = new Map<string, DashboardState>();
  private readonly table: SweepTable | undefined;

  constructor(private readonly dir: string) {
    if (!existsSync(join(dir, RESOLVED))) throw new Error(`${dir}: not a results directory (no ${RESOLVED})`);
    const runs = readSweepRuns(dir);
    if (runs) {
      const columns = Object.keys(runs[0] ?? {});
      const keys = columns.slice(1, Math.max(1, columns.indexOf('replicate')));
      const summary = existsSync(join(dir, 'summary.json')) ? (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>[]) : [];
      this.table = { name: scenarioOf(dir).name ?? null, keys, summary, runs };
    }
  }

  state(id: string): DashboardState | undefined {
    const dir = id === '' ? this.dir : this.table && this.table.runs.some((r) => r.run === id) ? join(this.dir, 'runs', id) : undefined;
    if (!dir || (id === '' && this.table) || !existsSync(join(dir, RESOLVED))) return undefined;
    let state = this.runs.get(id);
    if (!state) this.runs.set(id, (state = readRun(dir)));
    return state;
  }

  sweep(): SweepTable | undefined {
    return this.table;
  }
}

function scenarioOf(dir: string): ResolvedScenario {
  return parse(readFileSync(join(dir, RESOLVED), 'utf8')) as ResolvedScenario;
}

interface SummaryJson {
  readonly backend?: string;
  readonly srnnVersion?: string;
  readonly weightCount?: number;
  readonly elapsedMs?: number;
  readonly stopped?: { readonly done: number; readonly total: number };
}

interface SnapshotIndexJson {
  readonly size: number;
  readonly weightCount: number;
  readonly snapshots: readonly { readonly step: number; readonly uids: number[]; readonly classes: number[] }[];
}

/** One run's directory as a finished state. */
export function readRun(dir: string): DashboardState {
  const state = new DashboardState();
  const scenario = scenarioOf(dir);
  const summary: SummaryJson = existsSync(join(dir, 'summary.json')) ? JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) : {};
  state.facts = {
    name: scenario.name ?? null,
    architecture: scenario.architecture?.type,
    experiment: scenario.experiment?.type,
    populationSize: scenario.population?.size,
    weightCount: summary.weightCount ?? 0,
    totalWork: summary.stopped?.total ?? 0,
    backend: summary.backend ?? '',
    srnnVersion: summary.srnnVersion ?? '',
    seed: scenario.seed,
    scenarioYaml: readFileSync(join(dir, RESOLVED), 'utf8'),
  };
  for (const row of readCensus(dir) ?? []) {
    const census = emptyCensus();
    for (const c of PARTICLE_CLASSES) census[c] = row.counts[c];
    state.addCensus(row.step, census, row.meanLoss);
  }
  readSnapshots(dir, state);
  const last = state.census.step.length > 0 ? state.census.step.from(state.census.step.length - 1)[0] : 0;
  state.progress = { done: summary.stopped?.done ?? last, total: summary.stopped?.total ?? last, ratePerSecond: 0, elapsedMs: summary.elapsedMs ?? 0 };
  state.setStatus(summary.stopped ? 'stopped' : 'finished');
  return state;
}

/** snapshots.json + snapshots.f32, one snapshot at a time. */
function readSnapshots(dir: string, state: DashboardState): void {
  const indexFile = join(dir, 'snapshots.json');
  const weightsFile = join(dir, 'snapshots.f32');
  if (!existsSync(indexFile) || !existsSync(weightsFile)) return;
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as SnapshotIndexJson;
  const { size, weightCount } = index;
  const bytes = size * weightCount * 4;
  if (statSync(weightsFile).size < bytes * index.snapshots.length) return;
  const fd = openSync(weightsFile, 'r');
  try {
    index.snapshots.forEach((snapshot, k) => {
      const buffer = Buffer.alloc(bytes);
      readSync(fd, buffer, 0, bytes, k * bytes);
      const weights = new Float32Array(buffer.buffer, buffer.byteOffset, size * weightCount);
      const uids = Float64Array.from(snapshot.uids);
      state.addSnapshot({ step: snapshot.step, weightCount, weights, uids, parentUids: new Float64Array(size), birthSteps: new Float64Array(size), classes: Uint8Array.from(snapshot.classes) });
    });
  } finally {
    closeSync(fd);
  }
}
