import { emptyCensus, PARTICLE_CLASSES, type Census } from '@srnn/core';
import { canonicalJson } from './expand-sweep';

/** What a sweep records of one run: a row of runs.csv / runs.json. */
export interface SweepRunRow {
  readonly run: string;
  readonly combination: number;
  /** Swept key path → value. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly replicate: number;
  readonly seed: number;
  /** The final census. */
  readonly census: Census;
  readonly populationSize: number;
  /** The mean loss of the run's last census, when it had one. */
  readonly meanLoss?: number;
  readonly elapsedMs: number;
}

/** One combination over its replicates: a row of summary.csv / summary.json. */
export interface SweepSummaryRow {
  readonly values: Readonly<Record<string, unknown>>;
  readonly n: number;
  /** Mean fraction of each class over the combination's runs. */
  readonly mean: Census;
  /** Sample standard deviation (n − 1) of each class's fraction; 0 when n = 1. */
  readonly std: Census;
}

export type TableRecord = Record<string, unknown>;

/** Columns of runs.csv: run, the swept key paths, replicate, seed, the counts, the fractions, mean_loss, elapsedMs. */
export function runColumns(keys: readonly string[]): string[] {
  return ['run', ...keys, 'replicate', 'seed', ...PARTICLE_CLASSES, ...PARTICLE_CLASSES.map((c) => `fraction.${c}`), 'mean_loss', 'elapsedMs'];
}

/** Columns of summary.csv: the swept key paths, n, and mean.<class>, std.<class> for each class. */
export function summaryColumns(keys: readonly string[]): string[] {
  return [...keys, 'n', ...PARTICLE_CLASSES.flatMap((c) => [`mean.${c}`, `std.${c}`])];
}

export function fractions(row: Pick<SweepRunRow, 'census' | 'populationSize'>): Census {
  const out = emptyCensus();
  for (const c of PARTICLE_CLASSES) out[c] = row.census[c] / row.populationSize;
  return out;
}

/** The rows of runs.json: one object per run with the columns of runs.csv as keys (mean_loss null when absent). */
export function runRecords(keys: readonly string[], rows: readonly SweepRunRow[]): TableRecord[] {
  return rows.map((row) => {
    const share = fractions(row);
    return {
      run: row.run,
      ...Object.fromEntries(keys.map((key) => [key, row.values[key]])),
      replicate: row.replicate,
      seed: row.seed,
      ...Object.fromEntries(PARTICLE_CLASSES.map((c) => [c, row.census[c]])),
      ...Object.fromEntries(PARTICLE_CLASSES.map((c) => [`fraction.${c}`, share[c]])),
      mean_loss: row.meanLoss ?? null,
      elapsedMs: row.elapsedMs,
    };
  });
}

/** Groups the runs by combination (in order of first appearance) and takes mean and sample std of each class's fraction. */
export function summarizeRuns(rows: readonly SweepRunRow[]): SweepSummaryRow[] {
  const groups = new Map<number, SweepRunRow[]>();
  for (const row of rows) {
    const group = groups.get(row.combination);
    if (group) group.push(row);
    else groups.set(row.combination, [row]);
  }
  return [...groups.values()].map((group) => {
    const shares = group.map(fractions);
    const n = group.length;
    const mean = emptyCensus();
    const std = emptyCensus();
    for (const c of PARTICLE_CLASSES) {
      let sum = 0;
      for (const share of shares) sum += share[c];
      mean[c] = sum / n;
      let squares = 0;
      for (const share of shares) squares += (share[c] - mean[c]) ** 2;
      std[c] = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
    }
    return { values: group[0].values, n, mean, std };
  });
}

/** The rows of summary.json: one object per combination with the columns of summary.csv as keys. */
export function summaryRecords(keys: readonly string[], summary: readonly SweepSummaryRow[]): TableRecord[] {
  return summary.map((row) => ({
    ...Object.fromEntries(keys.map((key) => [key, row.values[key]])),
    n: row.n,
    ...Object.fromEntries(
      PARTICLE_CLASSES.flatMap((c) => [
        [`mean.${c}`, row.mean[c]],
        [`std.${c}`, row.std[c]],
      ]),
    ),
  }));
}

/** CSV text with a header line; null/undefined cells are empty, non-scalar values canonical JSON, quoted where needed. */
export function toCsv(columns: readonly string[], records: readonly TableRecord[]): string {
  const lines = [columns.map(csvCell), ...records.map((record) => columns.map((column) => csvCell(record[column])))];
  return lines.map((cells) => cells.join(',')).join('\n') + '\n';
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : canonicalJson(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
