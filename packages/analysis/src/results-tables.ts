import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_TEXT_FILE_BYTES, readBoundedJson } from '@srnn/bounded-file';
import type { Observable } from 'rxjs';
import type { ExperimentContext, OutputSink, RunEvent, RunEventKind, RunEventOf } from '@srnn/core';
import { sinkDone, writeFileAtomic } from '@srnn/runner';

export type TableCell = number | string | boolean | null;

/** A tidy table an experiment computed: one row per observation, one column per variable. */
export interface ResultsTable {
  /** Base name of the files: `<name>.csv` and `<name>.json`. */
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly TableCell[])[];
}

declare module '@srnn/core' {
  interface RunEventMap {
    /** A table an experiment computed (emitTable), written by its TablesSink; it reaches events.jsonl like any other event. */
    'analysis-table': { readonly table: ResultsTable };
  }
}

/** The event that carries a table from an experiment to its sink. */
export type TableEvent = RunEventOf<'analysis-table'>;

export function emitTable(context: Pick<ExperimentContext, 'emit'>, table: ResultsTable): void {
  for (const row of table.rows) {
    if (row.length !== table.columns.length) throw new Error(`table ${table.name}: a row of ${row.length} cells for ${table.columns.length} columns`);
  }
  context.emit({ kind: 'analysis-table', table });
}

/** CSV text: a header line, then one line per row; null → empty, strings quoted when needed. */
export function tableCsv(table: ResultsTable): string {
  const cell = (v: TableCell) => {
    if (v === null) return '';
    if (typeof v === 'string') return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    return String(v);
  };
  return [table.columns.map((c) => cell(c)).join(','), ...table.rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

/** JSON text: an array of row objects keyed by column; non-finite numbers become null. */
export function tableJson(table: ResultsTable): string {
  const objects = table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, jsonCell(row[i])])));
  return '[\n' + objects.map((o) => '  ' + JSON.stringify(o)).join(',\n') + '\n]\n';
}

function jsonCell(v: TableCell): TableCell {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

/** Writes `<name>.csv` and `<name>.json` into `dir`, each atomically; returns their paths. */
export function writeTable(dir: string, table: ResultsTable): string[] {
  const files: [string, string][] = [
    [join(dir, `${table.name}.csv`), tableCsv(table)],
    [join(dir, `${table.name}.json`), tableJson(table)],
  ];
  for (const [path, text] of files) writeFileAtomic(path, text);
  return files.map(([path]) => path);
}

/** The rows of `<name>.json` in a results directory, or undefined when there is none. */
export function readTable<T = Record<string, TableCell>>(dir: string, name: string): T[] | undefined {
  const path = join(dir, `${name}.json`);
  if (!existsSync(path)) return undefined;
  const rows = readBoundedJson(path, { bytes: MAX_TEXT_FILE_BYTES });
  return Array.isArray(rows) ? (rows as T[]) : undefined;
}

/**
 * The run directories of a sweep's results directory (`runs/<run id>/`), in run order (run ids
 * start with the zero-padded run index); undefined when `dir` is not a sweep's.
 */
export function sweepRunDirectories(dir: string): string[] | undefined {
  const runs = join(dir, 'runs');
  if (!existsSync(runs) || !(existsSync(join(dir, 'runs.json')) || existsSync(join(dir, 'runs.csv')))) return undefined;
  return readdirSync(runs)
    .filter((entry) => !entry.startsWith('.') && statSync(join(runs, entry)).isDirectory())
    .sort()
    .map((entry) => join(runs, entry));
}

/** A table of every run of a sweep that has it, in run order: `run` is the run's directory name. */
export function readRunTables<T = Record<string, TableCell>>(dir: string, name: string): { run: string; rows: T[] }[] | undefined {
  const runs = sweepRunDirectories(dir);
  if (!runs) return undefined;
  return runs.flatMap((runDir) => {
    const rows = readTable<T>(runDir, name);
    return rows ? [{ run: runDir.slice(join(dir, 'runs').length + 1), rows }] : [];
  });
}

/**
 * Writes the tables named in `tables` (from `analysis-table` events) into the results directory
 * once the run has finished. Each experiment plugin binds one, under its own sink name.
 */
export class TablesSink implements OutputSink {
  constructor(
    readonly name: string,
    private readonly tables: readonly string[],
  ) {}

  kinds(): readonly RunEventKind[] {
    return ['analysis-table', 'run-finished'];
  }

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    const pending: ResultsTable[] = [];
    return sinkDone(events$, (event) => {
      if (event.kind === 'analysis-table') {
        if (this.tables.includes(event.table.name)) pending.push(event.table);
      } else if (event.kind === 'run-finished') for (const table of pending) writeTable(dir, table);
    });
  }
}
