import { MOMENTUM, SELF_TRAIN_LR } from './kernel-workloads';
import type { ResultRow } from './result-row';

/** 3 significant digits with k / M / G (`short`: no trailing zeros, e.g. 5 M). */
export function formatRate(value: number, short = false): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, unit] of units) {
    if (value >= scale) return `${toPrecision3(value / scale, short)} ${unit}`;
  }
  return toPrecision3(value, short);
}

function toPrecision3(value: number, short: boolean): string {
  const text = value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return short && text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** 1 000, 10 000 (thin grouping as in the paper). */
export function formatCount(n: number): string {
  return n >= 1000 ? n.toLocaleString('en-US').replace(/,/g, ' ') : String(n);
}

export function benchmarkLabel(row: ResultRow): string {
  if (row.architecture !== undefined) {
    // a network-type row (architecture-benchmark.ts)
    const what = row.benchmark === 'self-train' ? `self-train (lr ${row.lr ?? SELF_TRAIN_LR})` : row.benchmark;
    return `${row.architecture} (${row.weightCount} weights): ${what}`;
  }
  switch (row.benchmark) {
    case 'self-train':
      return `self-train (lr ${SELF_TRAIN_LR})`;
    case 'self-train-momentum':
      return `self-train (lr ${SELF_TRAIN_LR}, momentum ${MOMENTUM})`;
    case 'self-application':
      return 'self-application';
    case 'self-train-experiment':
      return `self-train experiment, ${formatCount(row.steps ?? 0)} steps (API)`;
    case 'paper':
    case 'sweep-workers':
      return `${row.engine}, ${row.workers ?? 1} worker${row.workers === 1 ? '' : 's'}${row.load === undefined ? '' : `, ${row.load === 'busy' ? 'other core busy' : 'idle'}`}`;
    case 'results-writing':
      return `results writing: run of ${formatCount(row.P ?? 0)} nets × ${row.steps ?? 0} steps into a directory`;
    case 'sweep':
      return `sweep: ${row.runs ?? 0} runs × ${formatCount(row.P ?? 0)} nets × ${formatCount(row.steps ?? 0)} steps (API, ${row.sweep ?? ''})`;
    default:
      return row.benchmark;
  }
}

interface Column {
  readonly title: string;
  readonly right?: boolean;
  readonly cell: (row: ResultRow) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'benchmark', cell: benchmarkLabel },
  { title: 'backend', cell: (r) => r.backend },
  { title: 'P', right: true, cell: (r) => (r.P === null ? '-' : formatCount(r.P)) },
  {
    title: 'net-steps/s',
    right: true,
    cell: (r) => (r.netStepsPerSecond !== null ? formatRate(r.netStepsPerSecond) : r.measured ? '' : 'skipped'),
  },
  { title: 'best', right: true, cell: (r) => (r.samples && r.samples.length > 1 ? formatRate(Math.max(...r.samples)) : '') },
  { title: 'spread', right: true, cell: spread },
  { title: '× PyTorch', right: true, cell: (r) => (r.vsPytorch !== undefined ? `${formatMultiple(r.vsPytorch)}×` : '') },
  {
    title: 'target',
    cell: (r) => (r.target !== undefined ? `≥ ${formatRate(r.target, true)} ${r.meetsTarget ? 'pass' : 'FAIL'}` : ''),
  },
  { title: 'notes', cell: notes },
];

function formatMultiple(x: number): string {
  return x >= 10 ? formatCount(Math.round(x)) : x.toFixed(1);
}

/** Range of the repetitions around the median, in percent. */
function spread(row: ResultRow): string {
  const samples = row.samples;
  if (!samples || samples.length < 2 || !row.netStepsPerSecond) return '';
  const lo = Math.min(...samples);
  const hi = Math.max(...samples);
  return `±${((50 * (hi - lo)) / row.netStepsPerSecond).toFixed(0)} %`;
}

function notes(row: ResultRow): string {
  const parts: string[] = [];
  if (row.skipped) parts.push(row.skipped);
  if (row.elapsedSeconds !== undefined) parts.push(`${row.elapsedSeconds.toFixed(2)} s wall clock`);
  if (row.note) parts.push(row.note);
  if (row.restored) parts.push(`${formatRate(row.restored, true).replace(' ', '')} re-inits`);
  return parts.join('; ');
}

/** Whether two rows time one case (benchmark, network type, P) on different engines, side by side. */
function sameCase(a: ResultRow, b: ResultRow): boolean {
  return a.benchmark === b.benchmark && a.P === b.P && a.architecture === b.architecture;
}

/** An aligned plain-text table, rows grouped by backend with a blank line between groups (engines side by side on one case stay together). */
export function formatTable(rows: readonly ResultRow[]): string {
  const cells = rows.map((row) => COLUMNS.map((c) => c.cell(row)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i].length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (COLUMNS[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w)))];
  rows.forEach((row, i) => {
    if (i > 0 && rows[i - 1].backend !== row.backend && !sameCase(rows[i - 1], row)) out.push('');
    out.push(line(cells[i]));
  });
  return out.join('\n');
}
