import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RandomStreams, type NetworkKernels, type NetworkShape, type PluginRegistry } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { wasmBackendModule } from '@srnn/backend-wasm';
import { ARCHITECTURE_BENCHMARKS, ARCHITECTURE_MODULES, ARCHITECTURE_P, defaultShapes, type SectionContext } from './architecture-benchmark';
import { timeWorkload, type Rates } from './engine-benchmark';
import { KernelWorkload, SELF_TRAIN_LR, randomPopulation } from './kernel-workloads';
import { median } from './measure';
import { formatRate } from './report';
import type { ResultRow } from './result-row';

declare module './result-row' {
  interface ResultRow {
    /** Type-engine rows: the rate as a multiple of the js kernels' measured in the same rounds (median of the rounds' ratios). */
    readonly vsJs?: number;
    /** The same against the js kernels of the `--baseline` checkout. */
    readonly vsBaseline?: number;
  }
}

/** Rounds per network type and kernel: each times every engine once, in turn. */
const ROUNDS = 5;

/** Issue 16: aggregating, fft and recurrent each at ≥ 3× their kernels' speed when it was filed (its baseline, 7460155). */
export const TYPE_ENGINE_TARGET = 3;

/** The part of a built srnn checkout the rows load: its registry of the network-type plugins. */
interface Checkout {
  readonly registry: PluginRegistry;
  readonly streams: (seed: number) => RandomStreams;
}

/**
 * The network types of another srnn checkout, built (its packages' dist/): loaded from the folder
 * the user named with --baseline, as their js kernels are timed beside this checkout's.
 */
async function loadCheckout(dir: string): Promise<Checkout> {
  const file = (path: string) => {
    const full = join(resolve(dir), path);
    if (!existsSync(full)) throw new Error(`--baseline ${dir}: no ${path} (a built srnn checkout: npm ci && npx tsc -b)`);
    return full;
  };
  /* eslint-disable @typescript-eslint/no-require-imports -- code of the checkout the user named on the command line */
  const runner = require(file('packages/runner/dist/index.js')) as typeof import('@srnn/runner');
  const core = require(file('packages/core/dist/index.js')) as typeof import('@srnn/core');
  const architectures = require(file('packages/bench/dist/architecture-benchmark.js')) as typeof import('./architecture-benchmark');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const srnn = await runner.Srnn.create({ discover: false, modules: architectures.ARCHITECTURE_MODULES });
  return { registry: srnn.registry, streams: (seed) => new core.RandomStreams(seed) };
}

interface Engine {
  /** js | the type's default engine | baseline */
  readonly role: string;
  readonly backend: string;
  readonly engine: string;
  readonly kernels: NetworkKernels;
}

async function kernelsOf(registry: PluginRegistry, shape: NetworkShape, backendName: string, streams: RandomStreams): Promise<{ engine: string; kernels: NetworkKernels }> {
  const backend = registry.backend(backendName);
  await backend.init();
  // the stream is for kernels that draw (a shuffled de-aggregation); the defaults do not
  return { engine: backend.describe(), kernels: registry.kernelsFor(shape, backend, streams.stream('kernels')) };
}

/**
 * Every network type other than weightwise (whose engines have rows of their own against the C
 * floor), default options, P = 1 000: its js kernels and the engine a scenario without `backend`
 * gets for it (`registry.defaultBackend`), and with `--baseline DIR` the js kernels of that srnn
 * checkout, alternating in every round so that a loaded machine slows all alike; the default
 * engine's row reports the median of the rounds' ratios to each.
 */
export async function benchmarkTypeEngines(section: SectionContext, baselineDir?: string): Promise<void> {
  const registry = (await Srnn.create({ discover: false, modules: [...ARCHITECTURE_MODULES, wasmBackendModule] })).registry;
  const baseline = baselineDir === undefined ? undefined : await loadCheckout(baselineDir);
  const options = { ...section.measureOptions('js'), repeats: 1 };
  for (const shape of defaultShapes(registry).filter((s) => s.type !== 'weightwise')) {
    const byDefault = registry.defaultBackend(shape);
    const engines: Engine[] = [{ role: 'js', backend: 'js', ...(await kernelsOf(registry, shape, 'js', new RandomStreams(section.seed))) }];
    if (byDefault !== 'js') engines.push({ role: 'default', backend: byDefault, ...(await kernelsOf(registry, shape, byDefault, new RandomStreams(section.seed))) });
    let baselineNote: string | undefined;
    if (baseline) {
      const theirs = defaultShapes(baseline.registry).find((s) => s.type === shape.type);
      if (!theirs) baselineNote = `the baseline has no ${shape.type} networks`;
      else if (theirs.weightCount !== shape.weightCount) baselineNote = `the baseline's default ${shape.type} net has ${theirs.weightCount} weights, this one ${shape.weightCount}`;
      else engines.push({ role: 'baseline', backend: 'js', ...(await kernelsOf(baseline.registry, theirs, 'js', baseline.streams(section.seed))) });
      if (baselineNote) section.progress(`  type engines: ${baselineNote}`);
    }
    const initial = randomPopulation(shape, ARCHITECTURE_P, section.seed);
    try {
      for (const benchmark of ARCHITECTURE_BENCHMARKS) {
        const rates = new Map<string, Rates[]>(engines.map(({ role }) => [role, []]));
        for (let round = 0; round < ROUNDS; round++) {
          const order = round % 2 === 0 ? engines : [...engines].reverse();
          for (const { role, kernels } of order) rates.get(role)!.push(timeWorkload(new KernelWorkload(kernels, benchmark, initial, shape.weightCount), options.seconds, options.warmupSeconds));
        }
        const ratioTo = (mine: readonly Rates[], role: string) => {
          const theirs = rates.get(role);
          return theirs ? median(mine.map((rate, r) => rate.cpu / theirs[r].cpu)) : undefined;
        };
        for (const { role, backend, engine } of engines) {
          const samples = rates.get(role)!;
          const vsJs = role === 'js' ? undefined : ratioTo(samples, 'js');
          const vsBaseline = role === 'default' || (role === 'js' && byDefault === 'js') ? ratioTo(samples, 'baseline') : undefined;
          const notes = [
            ...(vsJs !== undefined ? [`${vsJs.toFixed(2)} × js`] : []),
            ...(vsBaseline !== undefined ? [`${vsBaseline.toFixed(2)} × the baseline's js (target ${TYPE_ENGINE_TARGET}): ${vsBaseline >= TYPE_ENGINE_TARGET ? 'pass' : 'FAIL'}`] : []),
            ...(role !== 'baseline' && byDefault === backend && (role === 'default' || byDefault === 'js') ? ['the default engine'] : []),
            ...(role === 'baseline' ? [`js kernels of ${baselineDir}`] : []),
          ];
          const row: ResultRow = {
            benchmark,
            architecture: shape.type,
            weightCount: shape.weightCount,
            backend: role === 'baseline' ? 'baseline' : backend,
            engine: role === 'baseline' ? `baseline js (${baselineDir})` : engine,
            P: ARCHITECTURE_P,
            measured: true,
            ...(benchmark === 'self-application' ? {} : { lr: SELF_TRAIN_LR, momentum: 0 }),
            netStepsPerSecond: median(samples.map((s) => s.cpu)),
            samples: samples.map((s) => s.cpu),
            cpuSamples: samples.map((s) => s.cpu),
            ...(vsJs !== undefined ? { vsJs } : {}),
            ...(vsBaseline !== undefined ? { vsBaseline } : {}),
            ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
          };
          section.emit(row);
          section.progress(`  type engines: ${shape.type} ${benchmark} ${row.backend}: ${formatRate(row.netStepsPerSecond!)} net-steps/s${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
        }
      }
    } finally {
      for (const { kernels } of engines) kernels.dispose();
    }
  }
}

export function typeEngineNotes(baselineDir?: string): string[] {
  return [
    `type-engine rows: aggregating, fft and recurrent (default options), P = ${ARCHITECTURE_P}: the js kernels, the default engine of the type (a scenario without backend)`,
    `${baselineDir ? `and the js kernels of --baseline ${baselineDir} ` : ''}in ${ROUNDS} rounds timing each once in turn; rates and ratios by CPU time (median of the rounds' ratios).`,
    `Issue 16's target: the default engine ≥ ${TYPE_ENGINE_TARGET} × the kernels of its baseline (a checkout of 7460155 given with --baseline DIR).`,
  ];
}
