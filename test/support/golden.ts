import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { Srnn } from '@srnn/runner';
import { PaperRun, type PaperResult } from '@srnn/report';
import { REPO_ROOT } from './helpers';

/**
 * Golden logs of the paper: for every scenario of scenarios/paper/, the tables of its `--quick`
 * run that depend on the numerics alone, stored under test/golden/<name>/ and compared exactly
 * by test/paper-golden.test.ts. `npm run golden:update` rewrites them on purpose.
 *
 * Per experiment: runs.csv (without its timing column) and summary.csv of a sweep, census.csv and
 * summary.json (without timing and version) of a single run, every other CSV table it writes at
 * its top level (one larger than 16 KiB as a SHA-256 in tables.sha256), the SHA-256 of every other
 * CSV table a sweep's runs write (run-tables.sha256), and `weights.sha256`: a SHA-256 of each run's
 * final weights.json, so that a change in the last bit of any weight shows up even where the census
 * does not change.
 */
export const GOLDEN_DIR = join(REPO_ROOT, 'test', 'golden');
export const PAPER_SCENARIOS = join(REPO_ROOT, 'scenarios', 'paper');

/** Tables larger than this are stored as a SHA-256 (in tables.sha256), to keep the golden logs small. */
const MAX_TABLE_BYTES = 16_384;

/** Columns and keys that hold timings (or versions), not results. */
const UNSTABLE_KEY = /^(elapsedMs|srnnVersion)$/;

/**
 * The backend the golden logs were recorded on: js, float64 arithmetic. The default engine of a
 * scenario without `backend` (wasm-f32 for the paper's weightwise nets) computes in float32, so the
 * logs pin this one rather than whatever the default is (`srnn paper --quick --backend js`).
 */
export const GOLDEN_BACKEND = 'js';

/** Runs `srnn paper --quick --backend js` (every paper scenario) into `out` through the API. */
export async function runQuickPaper(out: string, workers?: number): Promise<PaperResult> {
  const srnn = await Srnn.create();
  const run = await PaperRun.plan(srnn, { out, quick: true, backend: GOLDEN_BACKEND, workers, scenarios: PAPER_SCENARIOS });
  return run.execute();
}

/** The golden files of one experiment's results directory: file name → content. */
export function goldenTables(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const top = readdirSync(dir).sort();
  const large: string[] = [];
  for (const name of top.filter((f) => f.endsWith('.csv'))) {
    const table = withoutColumns(readFileSync(join(dir, name), 'utf8'));
    if (Buffer.byteLength(table) <= MAX_TABLE_BYTES) files.set(name, table);
    else large.push(`${sha256Of(table)}  ${name}`);
  }
  if (large.length > 0) files.set('tables.sha256', large.join('\n') + '\n');
  if (!top.includes('runs.csv') && top.includes('summary.json')) {
    files.set('summary.json', JSON.stringify(withoutKeys(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))), null, 2) + '\n');
  }
  const digests: string[] = [];
  const runTables: string[] = [];
  if (existsSync(join(dir, 'weights.json'))) digests.push(`${weightsDigest(join(dir, 'weights.json'))}  weights.json`);
  if (existsSync(join(dir, 'runs'))) {
    for (const run of readdirSync(join(dir, 'runs')).sort()) {
      const weights = join(dir, 'runs', run, 'weights.json');
      if (existsSync(weights)) digests.push(`${weightsDigest(weights)}  runs/${run}/weights.json`);
      // an experiment's own tables (e.g. per noise level), beyond the census the sweep's tables hold
      for (const table of readdirSync(join(dir, 'runs', run))
        .filter((f) => f.endsWith('.csv') && f !== 'census.csv')
        .sort()) {
        runTables.push(`${sha256Of(withoutColumns(readFileSync(join(dir, 'runs', run, table), 'utf8')))}  runs/${run}/${table}`);
      }
    }
  }
  if (digests.length > 0) files.set('weights.sha256', digests.join('\n') + '\n');
  if (runTables.length > 0) files.set('run-tables.sha256', runTables.join('\n') + '\n');
  return files;
}

/** The stored golden files of every experiment: experiment name → file name → content. */
export function readGolden(): Map<string, Map<string, string>> {
  const golden = new Map<string, Map<string, string>>();
  if (!existsSync(GOLDEN_DIR)) return golden;
  for (const name of readdirSync(GOLDEN_DIR).sort()) {
    const files = new Map<string, string>();
    for (const file of readdirSync(join(GOLDEN_DIR, name)).sort()) files.set(file, readFileSync(join(GOLDEN_DIR, name, file), 'utf8'));
    golden.set(name, files);
  }
  return golden;
}

/** Replaces test/golden/ by the tables of a paper results directory. */
export function writeGolden(result: PaperResult): string[] {
  rmSync(GOLDEN_DIR, { recursive: true, force: true });
  const written: string[] = [];
  for (const { experiment } of result.experiments) {
    const target = join(GOLDEN_DIR, experiment.name);
    mkdirSync(target, { recursive: true });
    for (const [file, content] of goldenTables(join(result.out, experiment.name))) {
      writeFileSync(join(target, file), content);
      written.push(join('test', 'golden', experiment.name, file));
    }
  }
  return written;
}

/** The first line where two texts differ, for a readable failure. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  golden: ${a[i] ?? '(none)'}\n  now:    ${b[i] ?? '(none)'}`;
  }
  return 'no difference';
}

/**
 * The SHA-256 of a weights.json in the form the golden digests were taken of — per particle uid,
 * class and weights, a non-finite weight as null, srnn's layout byte for byte. weights.json has
 * since gained each particle's parent and birth step and writes NaN/±∞ as strings; the digest
 * still covers every bit of every weight (a float32 prints and parses back exactly). weights.json
 * now writes the shortest decimal of each float32; the digest prints it as the float32's full
 * float64 value (String(Math.fround(w))), as weights.json did when the digests were taken.
 */
function weightsDigest(file: string): string {
  const { particles } = JSON.parse(readFileSync(file, 'utf8')) as { particles: { uid: number; class: string; weights: (number | string)[] }[] };
  const lines = particles.map((p) => `    { "uid": ${p.uid}, "class": "${p.class}", "weights": [${p.weights.map((w) => (typeof w === 'number' ? String(Math.fround(w)) : 'null')).join(', ')}] }`);
  return sha256Of(`{\n  "particles": [\n${lines.join(',\n')}\n  ]\n}\n`);
}

function sha256Of(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function withoutColumns(csv: string): string {
  const lines = csv.split('\n');
  const header = lines[0].split(',');
  const drop = new Set(header.map((column, i) => (UNSTABLE_KEY.test(column) ? i : -1)).filter((i) => i >= 0));
  if (drop.size === 0) return csv;
  // the dropped columns are plain numbers, never quoted, so splitting at commas up to them is safe
  return lines.map((line) => (line === '' ? line : dropCells(line, drop))).join('\n');
}

function dropCells(line: string, drop: ReadonlySet<number>): string {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells.filter((_, i) => !drop.has(i)).join(',');
}

function withoutKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !UNSTABLE_KEY.test(key))
        .map(([key, v]) => [key, withoutKeys(v)]),
    );
  }
  return value;
}
