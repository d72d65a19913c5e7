import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import {
  buildScenarioSchema,
  deriveSeed,
  formatCount,
  initializePopulation,
  InitError,
  issueDetail,
  pluginOptions,
  PluginOptionsError,
  Population,
  RandomStreams,
  resolveScenario,
  ScenarioError,
  ScenarioSource,
  startIssues,
  withAbsolutePaths,
  type KeyPath,
  type LoadedScenario,
  type NetworkShape,
  type PluginRegistry,
  type ResolvedScenario,
} from '@srnn/core';
import { FORBIDDEN_KEYS, quickError, quickKeyFor, quickScenarioRaw, type QuickOverrides } from './quick';

/** Runs of one scenario: sweep combinations × replicates. */
export const MAX_RUNS = 100_000;

/** Command-line style changes to the base scenario of a sweep (they apply before the sweep's values). */
export interface SweepOverrides {
  /** The base seed every run's seed derives from. */
  readonly seed?: number;
  readonly backend?: string;
  /** Every run also writes events.jsonl. */
  readonly events?: boolean;
  /** Apply the scenario's `quick:` overrides (a small, seeded version of it) before anything else. */
  readonly quick?: boolean;
  /** Every run saves a checkpoint every N units of its experiment (`checkpoint: { every: N }`). */
  readonly checkpointEvery?: number;
}

/** One run of a sweep: a combination of swept values and a replicate, with its own scenario and seed. */
export interface SweepRunSpec {
  /** Position in the sweep's run order (combination-major, replicate-minor), from 0. */
  readonly index: number;
  /** Filesystem-safe name, e.g. `0007-architecture.type=fft-experiment.lr=0.04-r2`. */
  readonly id: string;
  /** Index of the combination, from 0. */
  readonly combination: number;
  /** Swept key path → value, in the order the keys appear in `sweep`. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Replicate index, from 0. */
  readonly replicate: number;
  readonly seed: number;
  /** The base scenario with the swept key paths set, validated, without `sweep`, one replicate, `seed` = this seed, `backend` decided (the network's default when none is named). */
  readonly scenario: ResolvedScenario;
}

export interface SweepPlan {
  /** The base scenario (overrides applied), with its `sweep` and `replicates`. */
  readonly base: ResolvedScenario;
  /** Swept key paths, in the order they appear in `sweep`. */
  readonly keys: readonly string[];
  /** One entry per combination (key path → value), in run order. */
  readonly combinations: readonly Readonly<Record<string, unknown>>[];
  readonly replicates: number;
  readonly runs: readonly SweepRunSpec[];
}

/** Keys that are part of a run's identity or of the sweep itself, not parameters to vary. */
const UNSWEEPABLE = new Set(['seed', 'sweep', 'replicates', 'plugins', 'srnn', 'paper', 'quick']);

/** True when the scenario asks for more than one run (swept keys or replicates > 1). */
export function isSweep(scenario: ResolvedScenario): boolean {
  return Object.keys(scenario.sweep ?? {}).length > 0 || scenario.replicates > 1;
}

/** A loaded scenario with every run it asks for planned and checked, and those of its quick version. */
export interface PlannedScenario extends LoadedScenario {
  /** The runs of the scenario as written (one for a scenario without sweep and replicates). */
  readonly plan: SweepPlan;
  /** The runs of its `quick:` version, when it has one. */
  readonly quickPlan?: SweepPlan;
}

/**
 * Every check a run performs before its first step, for every run of the scenario and of its quick
 * version: the schema of each derived scenario, srnn's size limits, the network build, the initial
 * population (scheme, explicit vectors, init file) and the experiment's own check. `srnn validate`
 * and `srnn run` (through `Srnn.loadScenario`) both go through here, so that whatever `validate`
 * accepts starts to run. The first problem is a ScenarioError located where it is written.
 */
export function planScenario(loaded: LoadedScenario, registry: PluginRegistry): PlannedScenario {
  const { source, scenario } = loaded;
  // the quick entries first, as they are checked with the scenario's own keys
  if (scenario.quick) quickScenarioRaw(source, source.toJS() as Record<string, unknown>, scenario.quick, buildScenarioSchema(registry));
  const plan = expandSweep(loaded, registry);
  const quickPlan = loaded.scenario.quick ? expandSweep(loaded, registry, { quick: true }) : undefined;
  return { ...loaded, plan, quickPlan };
}

/**
 * The runs of a scenario's sweep: the cartesian product of the `sweep` lists (first key varies
 * slowest), each combination `replicates` times. Every derived scenario is validated against the
 * full schema and checked as a run checks itself before its first step (network, initial
 * population, limits, the experiment's check), so a bad combination is reported — as a
 * ScenarioError located at its sweep entry — before anything runs.
 *
 * A run's seed is `deriveSeed(base seed, canonical JSON of { values, replicate })`: it depends on
 * the run's identity only, not on its position or on which other combinations exist. Without swept
 * keys and with one replicate the single run keeps the base seed itself.
 */
export function expandSweep(loaded: LoadedScenario, registry: PluginRegistry, overrides: SweepOverrides = {}): SweepPlan {
  const { source } = loaded;
  const dir = dirname(resolve(source.file));
  const schema = buildScenarioSchema(registry);
  const quick = overrides.quick ? loaded.scenario.quick : undefined;
  // quick first, so that an explicit --seed or --backend still wins
  const written = source.toJS() as Record<string, unknown>;
  const raw = withOverrides(quick ? quickScenarioRaw(source, written, quick, schema) : written, overrides);
  // where the list of a swept key is written: in `sweep:`, or in a quick entry that replaced it
  const listPath = (key: string): KeyPath => (quick?.[`sweep.${key}`] !== undefined ? ['quick', `sweep.${key}`] : quick?.sweep !== undefined ? ['quick', 'sweep', key] : ['sweep', key]);

  const parsedBase = schema.safeParse(raw);
  if (!parsedBase.success) throw source.errorAt(parsedBase.error.issues[0].path, schemaProblem(raw, registry, source.file));
  const base = withAbsolutePaths(parsedBase.data as ResolvedScenario, dir);
  const sweep = base.sweep ?? {};
  const keys = Object.keys(sweep);
  checkSweep(source, sweep, listPath);
  const lists = keys.map((key) => sweep[key]);
  const single = keys.length === 0 && base.replicates === 1;
  const total = lists.reduce((n, list) => n * list.length, 1) * base.replicates;
  if (total > MAX_RUNS) {
    const path: KeyPath = base.replicates > MAX_RUNS ? (quick?.replicates !== undefined ? ['quick', 'replicates'] : ['replicates']) : quick?.sweep !== undefined ? ['quick', 'sweep'] : ['sweep'];
    throw source.errorAt(path, `${path.join('.')}: ${formatCount(total)} runs (sweep combinations × replicates), more than srnn's limit of ${formatCount(MAX_RUNS)}`);
  }
  const width = Math.max(4, String(total - 1).length);

  const combinations: Record<string, unknown>[] = [];
  const runs: SweepRunSpec[] = [];
  const checks = new RunChecks(registry);
  for (const choice of product(lists.map((list) => list.length))) {
    const values = Object.fromEntries(keys.map((key, i) => [key, lists[i][choice[i]]]));
    const located = (path: KeyPath, detail: string) => locate(source, keys, lists, choice, values, path, detail, listPath, quick);

    const derivedRaw = structuredClone(raw) as Record<string, unknown>;
    delete derivedRaw.sweep;
    delete derivedRaw.replicates;
    keys.forEach((key, i) => setPath(source, derivedRaw, key, structuredClone(lists[i][choice[i]])));
    const parsed = schema.safeParse(derivedRaw);
    if (!parsed.success) throw located(parsed.error.issues[0].path, schemaProblem(derivedRaw, registry, source.file));
    const checked = withAbsolutePaths(parsed.data as ResolvedScenario, dir);
    const network = checks.check(checked, located);
    // the default backend is decided here, once, so that every worker runs what the plan says
    const scenario = { ...checked, backend: checked.backend ?? registry.defaultBackend(network) };

    const combination = combinations.length;
    combinations.push(values);
    for (let replicate = 0; replicate < base.replicates; replicate++) {
      const seed = single ? base.seed : runSeed(base.seed, values, replicate);
      const index = runs.length;
      runs.push({ index, id: runId(index, width, values, replicate), combination, values, replicate, seed, scenario: { ...scenario, seed } });
    }
  }
  return { base, keys, combinations, replicates: base.replicates, runs };
}

/** The seed of the run with these swept values and this replicate index. */
export function runSeed(baseSeed: number, values: Readonly<Record<string, unknown>>, replicate: number): number {
  return deriveSeed(baseSeed, canonicalJson({ values, replicate })) >>> 0;
}

/** JSON with every object's keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object)
      .sort()
      .filter((key) => object[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function withOverrides(parsed: unknown, overrides: SweepOverrides): Record<string, unknown> {
  const raw = structuredClone(parsed) as Record<string, unknown>;
  if (overrides.seed !== undefined) raw.seed = overrides.seed;
  if (overrides.backend !== undefined) raw.backend = overrides.backend;
  if (overrides.events) raw.output = { ...(raw.output as object | undefined), events: true };
  if (overrides.checkpointEvery !== undefined) raw.checkpoint = { every: overrides.checkpointEvery };
  return raw;
}

/** Every index tuple of lists with these lengths, the first position varying slowest. */
function* product(lengths: readonly number[]): Generator<number[]> {
  const choice = lengths.map(() => 0);
  for (;;) {
    yield [...choice];
    let i = lengths.length - 1;
    while (i >= 0 && ++choice[i] === lengths[i]) choice[i--] = 0;
    if (i < 0) return;
  }
}

function checkSweep(source: ScenarioSource, sweep: Record<string, unknown[]>, listPath: (key: string) => KeyPath): void {
  const keys = Object.keys(sweep);
  const all = new Set(keys);
  for (const key of keys) {
    const keyError = (detail: string) => {
      const path = listPath(key);
      return path[0] === 'quick' ? source.errorAt(path, detail) : source.errorAtKey(['sweep'], key, detail);
    };
    const segments = key.split('.');
    if (segments.some((s) => s.length === 0)) {
      throw keyError(`sweep key "${key}": expected a key path such as experiment.lr`);
    }
    const forbidden = segments.find((s) => FORBIDDEN_KEYS.has(s));
    if (forbidden) throw keyError(`sweep key "${key}": "${forbidden}" is not a scenario key`);
    if (UNSWEEPABLE.has(segments[0])) {
      const why = segments[0] === 'seed' ? ' (every run derives its own seed from the scenario seed; use replicates)' : '';
      throw keyError(`sweep key "${key}": ${segments[0]} cannot be swept${why}`);
    }
    // a shorter swept key that is a prefix of this one (looked up per prefix: linear in the keys)
    const overlapping = segments
      .slice(1)
      .map((_, i) => segments.slice(0, i + 1).join('.'))
      .find((prefix) => all.has(prefix));
    if (overlapping) throw keyError(`sweep key "${key}" overlaps "${overlapping}"`);
    const seen = new Map<string, number>();
    sweep[key].forEach((value, i) => {
      const text = canonicalJson(value);
      if (seen.has(text)) throw source.errorAt([...listPath(key), i], `sweep.${key}: value ${text} appears twice (items ${seen.get(text)} and ${i})`);
      seen.set(text, i);
    });
  }
}

/**
 * Sets `key` (dot-separated) in a raw scenario. A segment may index an existing list entry
 * (e.g. experiment.interactions.1.severity); missing mappings are created.
 */
function setPath(source: ScenarioSource, target: Record<string, unknown>, key: string, value: unknown): void {
  const segments = key.split('.');
  let node: Record<string, unknown> | unknown[] = target;
  const fail = (i: number, what: string) => {
    const at = segments.slice(0, i + 1).join('.');
    return source.errorAtKey(['sweep'], key, `sweep key "${key}": ${at} ${what}`);
  };
  for (let i = 0; i < segments.length; i++) {
    const last = i === segments.length - 1;
    let slot: string | number = segments[i];
    if (FORBIDDEN_KEYS.has(slot)) throw fail(i, 'is not a scenario key');
    if (Array.isArray(node)) {
      const index = Number(slot);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) throw fail(i - 1, `is a list of ${node.length}: expected an index 0 … ${node.length - 1}`);
      slot = index;
    }
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[slot] = value;
      return;
    }
    const next = container[slot];
    if (next === undefined) container[slot] = {};
    else if (next === null || typeof next !== 'object') throw fail(i, 'is not a mapping or list in the scenario');
    node = container[slot] as Record<string, unknown> | unknown[];
  }
}

/** The readable message load-scenario gives for the first problem of a raw scenario. */
function schemaProblem(raw: unknown, registry: PluginRegistry, file: string): string {
  try {
    resolveScenario(ScenarioSource.parse(file, stringify(raw), { limits: false }), registry);
  } catch (error) {
    if (error instanceof ScenarioError) return error.detail.split('\n')[0];
    throw error;
  }
  return 'invalid scenario';
}

/**
 * A problem of one combination, located at the sweep value that most likely caused it: the swept
 * key sharing the longest prefix with the problem's key path (on a tie, one with several values
 * before a constant one, then the first). A problem no swept key touches is the base scenario's
 * and is located there — or, in the quick version, at the quick entry it is most likely due to
 * (at `quick:` itself when none shares a key path with it).
 */
function locate(
  source: ScenarioSource,
  keys: readonly string[],
  lists: readonly unknown[][],
  choice: readonly number[],
  values: Record<string, unknown>,
  path: KeyPath,
  detail: string,
  listPath: (key: string) => KeyPath,
  quick: QuickOverrides | undefined,
): ScenarioError {
  const problem = path.map(String);
  let best = -1;
  let bestScore = 0;
  keys.forEach((key, i) => {
    const segments = key.split('.');
    let n = 0;
    while (n < segments.length && n < problem.length && segments[n] === problem[n]) n++;
    // on a tie, a key that takes several values is the likelier cause than one that is constant
    const score = n === 0 ? 0 : 2 * n + (lists[i].length > 1 ? 1 : 0);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  if (best < 0) {
    // the scenario itself passed these checks (planScenario checks it first): the quick entries did it
    return quick ? quickError(source, quickKeyFor(quick, path), detail) : source.errorAt(path, detail);
  }
  const combination = keys.map((key) => `${key}=${canonicalJson(values[key])}`).join(', ');
  return source.errorAt([...listPath(keys[best]), choice[best]], `sweep combination ${combination}: ${detail}`);
}

/**
 * The checks of a run before its first step, for the derived scenarios of one sweep: the network
 * (built once per architecture), srnn's limits and the experiment's check (once per distinct
 * architecture, population, experiment and classification), then the initial population (once per
 * architecture and population) — in the order Run meets them.
 */
class RunChecks {
  private readonly networks = new Map<string, NetworkShape>();
  private readonly started = new Set<string>();
  private readonly populations = new Set<string>();

  constructor(private readonly registry: PluginRegistry) {}

  /** Returns the run's network. */
  check(scenario: ResolvedScenario, located: (path: KeyPath, detail: string) => ScenarioError): NetworkShape {
    const { registry } = this;
    const architectureKey = JSON.stringify(scenario.architecture);
    let network = this.networks.get(architectureKey);
    if (!network) {
      try {
        const architecture = registry.architecture(scenario.architecture.type);
        network = architecture.build(pluginOptions(architecture, scenario.architecture));
      } catch (error) {
        if (error instanceof PluginOptionsError) throw located(['architecture', ...error.path], `architecture${error.path.map((key) => `.${String(key)}`).join('')}: ${error.detail}`);
        throw located(['architecture'], `architecture: ${(error as Error).message}`);
      }
      this.networks.set(architectureKey, network);
    }
    const startKey = JSON.stringify([scenario.architecture, scenario.population, scenario.experiment, scenario.classify]);
    if (!this.started.has(startKey)) {
      const [issue] = startIssues(scenario, network, registry);
      if (issue) throw located(issue.path, issueDetail(issue));
      this.started.add(startKey);
    }
    const populationKey = JSON.stringify([scenario.architecture, scenario.population]);
    if (this.populations.has(populationKey)) return network;
    const { init, size } = scenario.population;
    // a random scheme (or one per type) is checked on one particle: it cannot fail for another
    const population = new Population(typeof init === 'string' || 'byType' in init ? 1 : size, network.weightCount);
    try {
      initializePopulation(population, network, init, new RandomStreams(scenario.seed).stream('init'));
    } catch (error) {
      if (error instanceof InitError) throw located(error.path, `${error.path.join('.')}: ${error.message}`);
      throw error;
    }
    this.populations.add(populationKey);
    return network;
  }
}

const ID_VALUE_LENGTH = 32;
const ID_LENGTH = 200;

function runId(index: number, width: number, values: Readonly<Record<string, unknown>>, replicate: number): string {
  const parts = [String(index).padStart(width, '0'), ...Object.entries(values).map(([key, value]) => `${key}=${idValue(value)}`), `r${replicate}`];
  return clip(parts.join('-'), ID_LENGTH);
}

function idValue(value: unknown): string {
  const text = typeof value === 'string' ? value : canonicalJson(value);
  return clip(text.replace(/[^A-Za-z0-9._+-]/g, '_'), ID_VALUE_LENGTH, text);
}

/** `text` cut to `length` characters, ending in a hash of `whole` when it had to be cut. */
function clip(text: string, length: number, whole = text): string {
  if (text.length <= length) return text;
  const hash = (deriveSeed(0, whole) >>> 0).toString(16).padStart(8, '0');
  return `${text.slice(0, length - 9)}~${hash}`;
}
