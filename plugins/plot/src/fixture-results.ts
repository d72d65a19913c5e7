// Test support (not a test): results directories as srnn writes them, a single run's and a sweep's.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PARTICLE_CLASSES, type ParticleClass, type ResolvedScenario } from '@srnn/core';

const temporaries: string[] = [];
process.on('exit', () => {
  for (const dir of temporaries) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix = 'srnn-plot-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaries.push(dir);
  return dir;
}

export const CENSUS_HEADER = ['step', ...PARTICLE_CLASSES, 'mean_loss'].join(',');

function scenarioYaml(extra: string[] = []): string {
  return [
    '# resolved by srnn 0.1.0; rerun with: srnn run scenario.resolved.yaml',
    'name: fixture',
    'seed: 1',
    'backend: js',
    'plugins: []',
    'population:',
    '  size: 10',
    '  init: default',
    'classify:',
    '  epsilon: 0.00001',
    '  strict: false',
    'output:',
    '  events: false',
    'architecture:',
    '  type: weightwise',
    '  width: 2',
    '  depth: 2',
    'experiment:',
    '  type: self-train',
    '  steps: 400',
    'replicates: 1',
    ...extra,
    'srnn:',
    '  version: 0.1.0',
    '  backend: js',
    '',
  ].join('\n');
}

export function scenarioOf(dir: string, text: string): ResolvedScenario {
  writeFileSync(join(dir, 'scenario.resolved.yaml'), text);
  return parse(text) as ResolvedScenario;
}

/** census rows `step,divergent,zero,fixpoint,second-order,other,mean_loss` of 10 particles over 400 steps (5 censuses). */
export const CENSUS_ROWS = ['0,0,0,0,0,10,', '100,1,0,2,0,7,0.05', '200,1,1,4,0,4,0.004', '300,1,1,6,1,1,0.0003', '400,1,1,7,1,0,0.00002'];

/**
 * census rows of a long run of 10 particles: one census per step 0 … n − 1, a particle turning
 * into a fixpoint every n / 10 steps, loss 1 / (step + 1) but 1e-9 at step 12 345.
 */
export function longCensusRows(n: number): string[] {
  return Array.from({ length: n }, (_, step) => {
    const fixpoints = Math.floor((10 * step) / n);
    return `${step},0,0,${fixpoints},0,${10 - fixpoints},${step === 12_345 ? 1e-9 : 1 / (step + 1)}`;
  });
}

export interface SingleRun {
  readonly dir: string;
  readonly scenario: ResolvedScenario;
}

/** A single run's results directory (census.csv, summary.json, weights.json, scenario.resolved.yaml). */
export function singleRunDir(options: { rows?: readonly string[]; withLoss?: boolean } = {}): SingleRun {
  const dir = tempDir('srnn-plot-run-');
  const rows = (options.rows ?? CENSUS_ROWS).map((row) => (options.withLoss === false ? row.replace(/,[^,]*$/, ',') : row));
  writeFileSync(join(dir, 'census.csv'), [CENSUS_HEADER, ...rows].join('\n') + '\n');
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ name: 'fixture', census: {} }) + '\n');
  writeFileSync(join(dir, 'weights.json'), '{\n  "particles": [\n  ]\n}\n');
  return { dir, scenario: scenarioOf(dir, scenarioYaml()) };
}

export const SWEEP_ARCHITECTURES = ['weightwise', 'aggregating', 'recurrent'];
export const SWEEP_TRAINS = [0, 10, 100, 500];
export const SWEEP_REPLICATES = 3;
export const SWEEP_SIZE = 20;

/** The fixpoint count of a sweep run: grows with trainsPerApplication for weightwise nets, a few for the others. */
function fixpoints(architecture: string, trains: number, replicate: number): number {
  const base = architecture === 'weightwise' ? Math.round((SWEEP_SIZE * trains) / (trains + 50)) : architecture === 'aggregating' ? 1 : 0;
  return Math.max(0, Math.min(SWEEP_SIZE - 2, base + replicate - 1));
}

export interface SweepRunRow {
  readonly run: string;
  readonly architecture: string;
  readonly trains: number;
  readonly replicate: number;
  readonly counts: Record<ParticleClass, number>;
}

/** The runs of the fixture sweep: architecture.type × experiment.trainsPerApplication × replicates. */
export function sweepRunRows(): SweepRunRow[] {
  const rows: SweepRunRow[] = [];
  for (const architecture of SWEEP_ARCHITECTURES) {
    for (const trains of SWEEP_TRAINS) {
      for (let replicate = 0; replicate < SWEEP_REPLICATES; replicate++) {
        const fixpoint = fixpoints(architecture, trains, replicate);
        const divergent = architecture === 'recurrent' ? 6 + replicate : 1;
        const zero = 2;
        const counts = { divergent, zero, fixpoint, 'second-order': 0, other: SWEEP_SIZE - divergent - zero - fixpoint };
        rows.push({ run: `${String(rows.length).padStart(3, '0')}-${architecture}-${trains}-r${replicate}`, architecture, trains, replicate, counts });
      }
    }
  }
  return rows;
}

/**
 * A sweep's results directory as the sweep runner writes it: scenario.resolved.yaml with `sweep:`
 * and `replicates`, runs.csv and runs.json (one row per run), summary.csv and summary.json (one
 * row per combination), runs/<id>/ with each run's own results (only the first `runDirs` runs').
 * `format` leaves out one of the runs files; `figures` is the scenario's `figures:` list (YAML lines).
 */
export function sweepDir(options: { format?: 'both' | 'json' | 'csv'; figures?: string[]; runDirs?: number } = {}): SingleRun {
  const dir = tempDir('srnn-plot-sweep-');
  const format = options.format ?? 'both';
  const text = scenarioYaml([
    'sweep:',
    `  architecture.type: [${SWEEP_ARCHITECTURES.join(', ')}]`,
    `  experiment.trainsPerApplication: [${SWEEP_TRAINS.join(', ')}]`,
    ...(options.figures ? ['figures:', ...options.figures.map((f) => `  - ${f}`)] : []),
  ]).replace('replicates: 1', `replicates: ${SWEEP_REPLICATES}`);
  const scenario = scenarioOf(dir, text);
  const rows = sweepRunRows();
  const columns = ['run', 'architecture.type', 'experiment.trainsPerApplication', 'replicate', 'seed', ...PARTICLE_CLASSES, ...PARTICLE_CLASSES.map((c) => `fraction.${c}`), 'mean_loss', 'elapsedMs'];
  const records = rows.map((r, i) => ({
    run: r.run,
    'architecture.type': r.architecture,
    'experiment.trainsPerApplication': r.trains,
    replicate: r.replicate,
    seed: 1000 + i,
    ...r.counts,
    ...Object.fromEntries(PARTICLE_CLASSES.map((c) => [`fraction.${c}`, r.counts[c] / SWEEP_SIZE])),
    mean_loss: 0.001 * (i + 1),
    elapsedMs: 12,
  })) as Record<string, unknown>[];
  if (format !== 'csv') writeFileSync(join(dir, 'runs.json'), JSON.stringify(records, null, 2) + '\n');
  if (format !== 'json') writeFileSync(join(dir, 'runs.csv'), [columns.join(','), ...records.map((r) => columns.map((c) => String(r[c])).join(','))].join('\n') + '\n');
  const combinations = SWEEP_ARCHITECTURES.flatMap((architecture) => SWEEP_TRAINS.map((trains) => ({ architecture, trains })));
  const summary = combinations.map(({ architecture, trains }) => {
    const group = rows.filter((r) => r.architecture === architecture && r.trains === trains);
    const stats = PARTICLE_CLASSES.flatMap((c) => {
      const fractions = group.map((r) => r.counts[c] / SWEEP_SIZE);
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      const std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / (fractions.length - 1));
      return [
        [`mean.${c}`, mean],
        [`std.${c}`, std],
      ] as [string, number][];
    });
    return { 'architecture.type': architecture, 'experiment.trainsPerApplication': trains, n: group.length, ...Object.fromEntries(stats) } as Record<string, unknown>;
  });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const summaryColumns = Object.keys(summary[0]);
  writeFileSync(join(dir, 'summary.csv'), [summaryColumns.join(','), ...summary.map((s) => summaryColumns.map((c) => String(s[c])).join(','))].join('\n') + '\n');
  for (const r of rows.slice(0, options.runDirs ?? rows.length)) {
    const runDir = join(dir, 'runs', r.run);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'scenario.resolved.yaml'), scenarioYaml().replace('type: weightwise', `type: ${r.architecture}`));
    writeFileSync(join(runDir, 'census.csv'), [CENSUS_HEADER, `0,0,0,0,0,${SWEEP_SIZE},`, `400,${PARTICLE_CLASSES.map((c) => r.counts[c]).join(',')},0.001`].join('\n') + '\n');
  }
  return { dir, scenario };
}

/** The mean fixpoint fraction of a fixture sweep combination (what the figures should show). */
export function meanFixpointFraction(architecture: string, trains: number): number {
  const group = sweepRunRows().filter((r) => r.architecture === architecture && r.trains === trains);
  return group.reduce((sum, r) => sum + r.counts.fixpoint / SWEEP_SIZE, 0) / group.length;
}

/** Entries of dir other than the given ones (e.g. temporary files left behind). */
export function entriesBesides(dir: string, expected: readonly string[]): string[] {
  return readdirSync(dir).filter((name) => !expected.includes(name));
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The text contents of an SVG's <text> elements. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"'),
  );
}

/** How many marks of a kind (vega's aria-roledescription: `bar`, `point`, `area mark`, `line mark`) an SVG draws. */
export function svgMarks(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}
