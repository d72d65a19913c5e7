import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PARTICLE_CLASSES, SRNN_VERSION, type ParticleClass, type ResolvedScenario } from '@srnn/core';
import type { SweepSummaryRow } from '@srnn/runner';
import type { ExperimentResult, PaperResult } from './paper-result';
import { renderHtml, renderMarkdown, type Block } from './report-document';

export const REPORT_TITLE = 'srnn reproduces “Self-Replication in Neural Networks”';

/** Writes report.md and report.html into `dir` (the paper's results directory, experiments in `dir/<name>/`). */
export function writeReport(dir: string, result: PaperResult): void {
  const blocks = reportBlocks(dir, result);
  writeFileSync(join(dir, 'report.md'), renderMarkdown(blocks));
  writeFileSync(join(dir, 'report.html'), renderHtml(REPORT_TITLE, blocks));
}

/** An experiment's own CSV tables (besides the census tables) up to this many rows are shown; longer ones only named. */
const OWN_TABLES_SHOWN = 30;
const OWN_TABLE_COLUMNS = 14;
const CENSUS_TABLES = new Set(['runs.csv', 'summary.csv', 'census.csv']);

export function reportBlocks(dir: string, result: PaperResult): Block[] {
  const mode = result.quick ? 'quick (each scenario’s `quick:` overrides: a small, seeded version)' : 'full (the paper’s settings)';
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: REPORT_TITLE },
    {
      kind: 'paragraph',
      text: 'Gabor, Illium, Zorn, Lenta, Mattausch, Belzner, Linnhoff-Popien, Self-Replication in Neural Networks, Artificial Life 28(2):205–223, 2022. Every experiment below was run by `srnn paper` from its scenario file; each section shows what the paper did and claimed beside what srnn computed.',
    },
    {
      kind: 'facts',
      items: [
        ['settings', mode],
        ['experiments', String(result.experiments.length)],
        ['runs', String(result.experiments.reduce((n, e) => n + e.experiment.plan.runs.length, 0))],
        ['workers', `${result.workers} (of ${availableParallelism()} cores)`],
        ['wall time', seconds(result.wallMs)],
        ['srnn', `${SRNN_VERSION}, Node ${process.versions.node}`],
        ['written', new Date().toISOString().replace(/\.\d+Z$/, 'Z')],
      ],
    },
    {
      kind: 'table',
      caption: 'Experiments',
      header: ['§', 'experiment', 'runs', 'wall time', 'run time (sum)', 'results'],
      numeric: [false, false, true, true, true, false],
      rows: result.experiments.map((e) => [e.scenario.paper?.section ?? '', titleOf(e), String(e.experiment.plan.runs.length), seconds(e.wallMs), seconds(e.computeMs), `${e.experiment.name}/`]),
    },
  ];
  for (const experiment of result.experiments) blocks.push(...experimentBlocks(dir, experiment, result));
  return blocks;
}

function titleOf(e: ExperimentResult): string {
  return e.scenario.paper?.title ?? e.scenario.name ?? e.experiment.name;
}

function experimentBlocks(dir: string, e: ExperimentResult, result: PaperResult): Block[] {
  const { experiment, scenario } = e;
  const paper = scenario.paper;
  const name = experiment.name;
  const section = paper?.section ? `§${paper.section} ` : '';
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: `${section}${titleOf(e)}`, id: name }];

  const did = paper?.summary ?? scenario.description ?? headerComment(experiment.file);
  if (did) blocks.push({ kind: 'paragraph', text: did });
  if (!paper) blocks.push({ kind: 'paragraph', muted: true, text: `${name}.yaml has no paper: block (section, summary, claims, reference).` });

  const runs = experiment.plan.runs.length;
  const seed = experiment.sweep ? `${experiment.plan.base.seed} (base seed; each run's seed derives from it and the run's identity, see runs.csv)` : String(scenario.seed);
  const quick = experiment.quick === 'applied' ? `quick: ${inlineYaml(scenario.quick)}` : experiment.quick === 'none' ? 'full (no quick: overrides in the scenario)' : 'full';
  blocks.push({
    kind: 'facts',
    items: [
      ['scenario', `${name}.yaml`],
      ['settings', quick],
      ['runs', experiment.sweep ? sweepShape(e) : '1'],
      ['seed', seed],
      ['workers', String(result.workers)],
      ['wall time', `${seconds(e.wallMs)} (runs: ${seconds(e.computeMs)} summed)`],
      ['results', `${name}/`],
    ],
  });

  const srnnColumn: Block[] = [{ kind: 'heading', level: 3, text: 'srnn' }, ...numbersBlocks(e)];
  const paperColumn: Block[] = [{ kind: 'heading', level: 3, text: 'the paper' }];
  if (paper?.claims.length) paperColumn.push({ kind: 'list', items: paper.claims });
  if (paper?.reference !== undefined) paperColumn.push(...referenceBlocks(paper.reference));
  if (paperColumn.length === 1) paperColumn.push({ kind: 'paragraph', muted: true, text: 'no claims or reference numbers recorded in the scenario.' });
  if (paper?.differences.length) paperColumn.push({ kind: 'heading', level: 4, text: 'open differences' }, { kind: 'list', items: paper.differences });
  blocks.push({ kind: 'columns', columns: [srnnColumn, paperColumn] });
  // the experiment's own tables (often wide: per noise level, per pair) get the full width
  blocks.push(...(e.sweep ? replicatedTables(join(dir, name), name, e) : ownTables(join(dir, name), name)));

  const figures = e.figures.filter((file) => file.endsWith('.png'));
  if (figures.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: figures.length === 1 ? 'figure' : 'figures' });
    for (const file of figures) {
      blocks.push({ kind: 'figure', file: join(dir, name, file), link: `${name}/${file}`, caption: `${name}/${file}`, width: svgWidth(join(dir, name, file.replace(/\.png$/, '.svg'))) });
    }
  }

  const resolved = join(dir, name, 'scenario.resolved.yaml');
  if (existsSync(resolved)) blocks.push({ kind: 'details', summary: `settings: ${name}/scenario.resolved.yaml (${runs === 1 ? 'the run' : 'the sweep'})`, text: readFileSync(resolved, 'utf8') });
  return blocks;
}

function sweepShape(e: ExperimentResult): string {
  const { plan } = e.experiment;
  const swept = plan.keys.map((key) => `${key} (${new Set(plan.combinations.map((c) => JSON.stringify(c[key]))).size})`).join(' × ');
  return `${plan.runs.length}: ${plan.combinations.length} combination${plan.combinations.length === 1 ? '' : 's'}${swept ? ` of ${swept}` : ''} × ${plan.replicates} replicate${plan.replicates === 1 ? '' : 's'}`;
}

/**
 * srnn's census: per combination (mean ± std over replicates) for a sweep, the final census for a
 * run. A sweep's table also has a column per sum of classes its fraction-lines figures plot (e.g.
 * zero + fixpoint, the 2019 figures' "fixpoint"), with the spread of the sums.
 */
function numbersBlocks(e: ExperimentResult): Block[] {
  if (e.sweep) {
    const keys = e.sweep.plan.keys;
    const classes = PARTICLE_CLASSES;
    const sums = summedClasses(e.scenario);
    const rows = e.sweep.rows;
    const sumCell = (classesSummed: readonly ParticleClass[], combination: number) => {
      const shares = rows.filter((r) => r.combination === combination).map((r) => classesSummed.reduce((n, c) => n + r.census[c], 0) / r.populationSize);
      const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
      const std = shares.length > 1 ? Math.sqrt(shares.reduce((a, v) => a + (v - mean) ** 2, 0) / (shares.length - 1)) : 0;
      return percent(mean, std, shares.length);
    };
    return [
      {
        kind: 'table',
        caption: `final census, % of particles (mean ± sample std over replicates)`,
        header: [...keys.map(shortKey), 'n', ...classes, ...sums.map((sum) => sum.label)],
        numeric: [...keys.map(() => false), true, ...classes.map(() => true), ...sums.map(() => true)],
        rows: e.sweep.summary.map((row: SweepSummaryRow, combination) => [
          ...keys.map((key) => cellValue(row.values[key])),
          String(row.n),
          ...classes.map((c) => percent(row.mean[c], row.std[c], row.n)),
          ...sums.map((sum) => sumCell(sum.classes, combination)),
        ]),
      },
    ];
  }
  const outcome = e.run!;
  const size = outcome.populationSize;
  const rows = PARTICLE_CLASSES.map((c) => [c, String(outcome.census[c]), `${((100 * outcome.census[c]) / size).toFixed(1)} %`]);
  const blocks: Block[] = [
    { kind: 'table', caption: `final census of the population (${size} particle${size === 1 ? '' : 's'})`, header: ['class', 'count', 'share'], numeric: [false, true, true], rows },
  ];
  if (outcome.meanLoss !== undefined) blocks.push({ kind: 'paragraph', text: `final mean loss ${outcome.meanLoss.toPrecision(4)}` });
  return blocks;
}

/** The sums of classes the scenario's fraction-lines figures plot (`class: [zero, fixpoint]`), each once. */
function summedClasses(scenario: ResolvedScenario): { classes: ParticleClass[]; label: string }[] {
  const sums = new Map<string, { classes: ParticleClass[]; label: string }>();
  for (const figure of scenario.figures ?? []) {
    const listed = figure.class;
    if (figure.type !== 'fraction-lines' || !Array.isArray(listed) || listed.length < 2) continue;
    const classes = listed.filter((c): c is ParticleClass => (PARTICLE_CLASSES as readonly unknown[]).includes(c));
    const key = [...classes].sort().join('+');
    if (!sums.has(key)) sums.set(key, { classes, label: typeof figure.label === 'string' ? figure.label : classes.join(' + ') });
  }
  return [...sums.values()];
}

/** CSV tables an experiment wrote besides the census tables (e.g. per noise level), shown as they are. */
function ownTables(dir: string, name: string): Block[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv') && !CENSUS_TABLES.has(f))
    .sort();
  return files.flatMap((file): Block[] => {
    const lines = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
    if (lines.length < 2) return [];
    const [header, ...rows] = lines.map(splitCsv);
    if (rows.length > OWN_TABLES_SHOWN || header.length > OWN_TABLE_COLUMNS) {
      const columns = header.length > OWN_TABLE_COLUMNS ? `${header.slice(0, OWN_TABLE_COLUMNS).join(', ')}, …` : header.join(', ');
      return [{ kind: 'paragraph', muted: true, text: `${name}/${file}: ${rows.length} row${rows.length === 1 ? '' : 's'} of ${columns}` }];
    }
    const numeric = header.map((_, i) => rows.every((row) => row[i] === undefined || row[i] === '' || Number.isFinite(Number(row[i]))));
    return [{ kind: 'table', caption: file, header, numeric, rows: rows.map((row) => row.map((cell, i) => (numeric[i] ? shortNumber(cell) : cell))) }];
  });
}

/** A sweep's own tables are shown per combination for at most this many combinations. */
const REPLICATED_COMBINATIONS_SHOWN = 4;

/**
 * The tables every run of a combination writes (e.g. counts per noise level), over its replicates:
 * each numeric cell as mean ± sample std over the runs (the value alone where all runs agree), so
 * that the spread between seeds shows. Tables whose rows differ between the runs are only named.
 */
function replicatedTables(dir: string, name: string, e: ExperimentResult): Block[] {
  const { plan } = e.experiment;
  const byCombination = plan.combinations.map((_, c) => plan.runs.filter((run) => run.combination === c).map((run) => join(dir, 'runs', run.id)));
  const first = byCombination[0]?.[0];
  if (!first || !existsSync(first)) return [];
  const files = readdirSync(first)
    .filter((f) => f.endsWith('.csv') && !CENSUS_TABLES.has(f))
    .sort();
  if (files.length === 0) return [];
  if (plan.combinations.length > REPLICATED_COMBINATIONS_SHOWN) {
    return [{ kind: 'paragraph', muted: true, text: `${name}/runs/*/: ${files.join(', ')} per run (${plan.combinations.length} combinations)` }];
  }
  return byCombination.flatMap((runDirs, c) => {
    const values = plan.keys.map((key) => `${shortKey(key)}=${cellValue(plan.combinations[c][key])}`).join(', ');
    return files.flatMap((file): Block[] => {
      const tables = runDirs.filter((runDir) => existsSync(join(runDir, file))).map((runDir) => readFileSync(join(runDir, file), 'utf8').trimEnd().split('\n').map(splitCsv));
      const [[header, ...rows]] = tables;
      const where = `${name}/runs/*/${file}${values ? ` (${values})` : ''}`;
      const shaped = tables.every(([h, ...r]) => h.join() === header.join() && r.length === rows.length && r.every((row, i) => row[0] === rows[i][0]));
      if (rows.length === 0) return [];
      if (!shaped || rows.length > OWN_TABLES_SHOWN || header.length > OWN_TABLE_COLUMNS) {
        return [{ kind: 'paragraph', muted: true, text: `${where}: ${rows.length} row${rows.length === 1 ? '' : 's'} per run${shaped ? '' : ' (differing between runs)'}, ${tables.length} runs` }];
      }
      const numeric = header.map((_, i) => tables.every(([, ...r]) => r.every((row) => row[i] === undefined || row[i] === '' || Number.isFinite(Number(row[i])))));
      const cells = rows.map((row, r) =>
        row.map((cell, i) => {
          const all = tables.map(([, ...t]) => t[r][i]);
          if (all.every((v) => v === cell)) return numeric[i] ? shortNumber(cell) : cell;
          if (!numeric[i] || all.some((v) => v === '')) return 'varies';
          return meanStd(all.map(Number));
        }),
      );
      return [{ kind: 'table', caption: `${file}: mean ± sample std over ${tables.length} replicates (${where})`, header, numeric, rows: cells }];
    });
  });
}

/** Mean ± sample std, the std to 2 significant digits and the mean to the same decimal place. */
function meanStd(values: readonly number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  const exponent = Math.floor(Math.log10(std)) - 1;
  if (exponent < -6 || exponent > 5) return `${shortNumber(String(mean))} ± ${std.toExponential(1)}`;
  const places = Math.max(0, -exponent);
  return `${mean.toFixed(places)} ± ${std.toFixed(places)}`;
}

/** Reference lists longer than this are shown as columns (one row per entry), shorter ones as rows. */
const LONG_REFERENCE_LIST = 4;

/**
 * The paper's numbers as a table when they have a table's shape: a mapping of scalars (one row
 * each), of equal-length lists (the first list names the entries: a header row for short lists, the
 * first column for long ones), or of mappings (rows × the inner keys); anything else as YAML.
 */
export function referenceBlocks(reference: unknown): Block[] {
  const caption = 'reference numbers (PAPER.md)';
  if (reference !== null && typeof reference === 'object' && !Array.isArray(reference)) {
    const entries = Object.entries(reference as Record<string, unknown>);
    const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
    if (entries.length > 0 && entries.every(([, v]) => scalar(v))) {
      return [{ kind: 'table', caption, header: ['', 'paper'], rows: entries.map(([k, v]) => [k, cellValue(v)]) }];
    }
    if (entries.length > 0 && entries.every(([, v]) => Array.isArray(v) && v.length === (entries[0][1] as unknown[]).length && v.every(scalar))) {
      const lists = entries as [string, unknown[]][];
      const length = lists[0][1].length;
      if (length > LONG_REFERENCE_LIST) {
        // long lists (e.g. per noise level) read best as columns, like srnn's own per-level tables
        return [{ kind: 'table', caption, header: lists.map(([k]) => k), rows: Array.from({ length }, (_, i) => lists.map(([, v]) => cellValue(v[i]))) }];
      }
      const [[firstKey, firstRow], ...rest] = lists;
      return [{ kind: 'table', caption, header: [firstKey, ...firstRow.map(cellValue)], rows: rest.map(([k, v]) => [k, ...v.map(cellValue)]) }];
    }
    if (entries.length > 0 && entries.every(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(scalar))) {
      const columns = [...new Set(entries.flatMap(([, v]) => Object.keys(v as object)))];
      return [{ kind: 'table', caption, header: ['', ...columns], rows: entries.map(([k, v]) => [k, ...columns.map((c) => cellValue((v as Record<string, unknown>)[c]))]) }];
    }
  }
  return [{ kind: 'details', summary: caption, text: stringify(reference, { lineWidth: 0 }) }];
}

/** The width the figure was drawn at (its SVG's), so that the PNG drawn at a higher scale shows at that size. */
function svgWidth(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const match = /<svg[^>]*\swidth="([0-9.]+)"/.exec(readFileSync(file, 'utf8').slice(0, 2000));
  return match ? Number(match[1]) : undefined;
}

/** The comment lines at the top of a scenario file, without the `#`. */
function headerComment(file: string): string | undefined {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    const comment = [];
    for (const line of lines) {
      if (!line.startsWith('#')) break;
      comment.push(line.replace(/^#\s?/, ''));
    }
    return comment.length > 0 ? comment.join(' ').replace(/\s+/g, ' ').trim() : undefined;
  } catch {
    return undefined;
  }
}

function inlineYaml(value: unknown): string {
  return stringify(value, { flow: true, lineWidth: 0 }).trim();
}

function shortKey(key: string): string {
  return key.replace(/^(architecture|experiment|population)\./, '');
}

function cellValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function percent(mean: number, std: number, n: number): string {
  const m = (100 * mean).toFixed(1);
  return n > 1 ? `${m} ± ${(100 * std).toFixed(1)}` : m;
}

function shortNumber(cell: string): string {
  if (cell === '') return cell;
  const x = Number(cell);
  if (Number.isInteger(x)) return cell;
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(4))) : x.toExponential(3).replace(/\.?0+e/, 'e');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** One CSV line's cells (quoted cells may hold commas and doubled quotes; no line breaks inside cells). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let text = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          text += '"';
          i += 2;
        } else if (line[i] === '"') break;
        else text += line[i++];
      }
      cells.push(text);
      i += 2;
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      cells.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return cells;
}
