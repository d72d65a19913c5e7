import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readBoundedJson, readBoundedText } from '@srnn/bounded-file';
import { PARTICLE_CLASSES, type ParticleClass, type ResolvedScenario } from '@srnn/core';
import { csvRecords, csvValue, parseCsv } from './csv';
import { censusFileLimit, runsFileLimit } from './results-limits';

/** One row of a run's census.csv. */
export interface CensusRow {
  readonly step: number;
  readonly counts: Readonly<Record<ParticleClass, number>>;
  /** Mean training loss at that census; null when the experiment reports none. */
  readonly meanLoss: number | null;
}

/** census.csv of a single run's results directory (`step,divergent,…,other,mean_loss`); undefined when there is none. Read within censusFileLimit. */
export function readCensus(dir: string): CensusRow[] | undefined {
  const path = join(dir, 'census.csv');
  if (!existsSync(path)) return undefined;
  const table = parseCsv(readBoundedText(path, censusFileLimit()));
  if (!table.header.includes('step') || !PARTICLE_CLASSES.every((c) => table.header.includes(c))) return undefined;
  return csvRecords(table).map((record) => {
    const loss = csvValue(record.mean_loss ?? '');
    return {
      step: Number(record.step),
      counts: Object.fromEntries(PARTICLE_CLASSES.map((c) => [c, Number(record[c])])) as Record<ParticleClass, number>,
      meanLoss: typeof loss === 'number' ? loss : null,
    };
  });
}

/**
 * One run of a sweep: a row of runs.json (or runs.csv) — `run`, one column per swept key path
 * (e.g. `architecture.type`), `replicate`, `seed`, the five class counts, `fraction.<class>`,
 * `mean_loss`, `elapsedMs`.
 */
export type SweepRun = Readonly<Record<string, unknown>>;

/** The runs of a sweep's results directory, from runs.json or else runs.csv; undefined in a single run's directory. Read within runsFileLimit of the sweep's scenario. */
export function readSweepRuns(dir: string, scenario?: ResolvedScenario): SweepRun[] | undefined {
  const limit = runsFileLimit(scenario);
  const json = join(dir, 'runs.json');
  if (existsSync(json)) {
    const parsed = readBoundedJson(json, limit);
    const rows = Array.isArray(parsed) ? parsed : (parsed as { runs?: unknown })?.runs;
    if (Array.isArray(rows)) return rows.filter((r): r is SweepRun => r !== null && typeof r === 'object');
  }
  const csv = join(dir, 'runs.csv');
  if (existsSync(csv)) {
    return csvRecords(parseCsv(readBoundedText(csv, limit))).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, csvValue(v)])));
  }
  return undefined;
}

/**
 * The value of a key path (`architecture.type`) in a run row — a column named by the whole path,
 * or else nested objects — or, for a key the sweep did not vary, in the (sweep's) scenario.
 */
export function valueAt(run: SweepRun, keyPath: string, scenario?: ResolvedScenario): unknown {
  if (keyPath in run) return run[keyPath];
  const nested = walk(run, keyPath);
  if (nested !== undefined) return nested;
  return scenario ? walk(scenario, keyPath) : undefined;
}

function walk(object: unknown, keyPath: string): unknown {
  let node = object;
  for (const key of keyPath.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The fraction of a run's particles in a class: `fraction.<class>`, or else the counts. */
export function fractionOf(run: SweepRun, cls: ParticleClass): number | undefined {
  const given = valueAt(run, `fraction.${cls}`);
  if (typeof given === 'number' && Number.isFinite(given)) return given;
  const counts = PARTICLE_CLASSES.map((c) => valueAt(run, c));
  if (!counts.every((n): n is number => typeof n === 'number' && Number.isFinite(n))) return undefined;
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? counts[PARTICLE_CLASSES.indexOf(cls)] / total : undefined;
}

/** A swept value as a category label: strings as they are, other values as JSON. */
export function label(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}

/**
 * The labels of a key path's values in a sensible order: the order the scenario's `sweep:` lists
 * them in, else ascending when all are numbers, else first appearance.
 */
export function orderedLabels(keyPath: string, values: readonly unknown[], scenario?: ResolvedScenario): string[] {
  const seen = [...new Set(values.map(label))];
  const swept = scenario?.sweep?.[keyPath]?.map(label);
  if (swept) return [...swept.filter((l) => seen.includes(l)), ...seen.filter((l) => !swept.includes(l))];
  if (values.every((v) => typeof v === 'number')) return [...new Set(values as number[])].sort((a, b) => a - b).map(label);
  return seen;
}
