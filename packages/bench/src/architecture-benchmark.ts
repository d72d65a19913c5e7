import { RandomStreams, type NetworkShape, type PluginRegistry } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { aggregatingModule } from '@srnn/aggregating';
import { tfjsBackendModule } from '@srnn/backend-tfjs';
import { fftModule } from '@srnn/fft';
import { recurrentModule } from '@srnn/recurrent';
import { weightwiseModule } from '@srnn/weightwise';
import { KernelWorkload, SELF_TRAIN_LR, randomPopulation, type KernelBenchmark } from './kernel-workloads';
import { measure, type MeasureOptions } from './measure';
import { benchmarkLabel, formatCount, formatRate } from './report';
import type { ResultRow } from './result-row';

// The rows of this section carry fields of their own; declared here (not in result-row.ts) so that
// sections added in parallel do not edit one shared file.
declare module './result-row' {
  interface ResultRow {
    /** Architecture rows: the network type (default options) whose kernels were timed. */
    readonly architecture?: string;
    /** Weights per network of the timed shape. */
    readonly weightCount?: number;
  }
}

/** Population size of the architecture rows. */
export const ARCHITECTURE_P = 1000;

/** The kernels timed for every type: plain full-batch self-training (lr 0.04) and in-place self-application. */
export const ARCHITECTURE_BENCHMARKS: readonly KernelBenchmark[] = ['self-train', 'self-application'];

/**
 * Exactly the network-type plugins of this repository (no discovery, as for the experiment row):
 * the section times every type they register.
 */
export const ARCHITECTURE_MODULES = [weightwiseModule, aggregatingModule, fftModule, recurrentModule];

/** The backends the bench measures with the kernels they have for those types: the network plugins and the tfjs backend. */
export async function kernelRegistry(): Promise<PluginRegistry> {
  return (await Srnn.create({ discover: false, modules: [...ARCHITECTURE_MODULES, tfjsBackendModule] })).registry;
}

/** What a section of the benchmark needs from the command (main.ts). */
export interface SectionContext {
  /** Backends selected by `--backend`, in order. */
  readonly backends: readonly string[];
  readonly seed: number;
  /** The backends by name and their kernels (kernelRegistry). */
  readonly registry: PluginRegistry;
  measureOptions(name: string): MeasureOptions;
  /** Progress line on stderr (main also tracks the load average there). */
  progress(message: string): void;
  /** Adds a finished row to the table / JSON. */
  emit(row: ResultRow): void;
}

/** Every registered network type, each built with its default options. */
export function defaultShapes(registry: PluginRegistry): NetworkShape[] {
  return registry.architectures.map((architecture) => architecture.build(architecture.optionsSchema.parse({})));
}

/**
 * Self-train and self-application kernels of every registered network type (default options) at
 * P = 1 000 on each selected backend, with the KernelWorkload / measure() machinery of the
 * weightwise rows (so tfjs cases whose single call is over budget are skipped the same way).
 */
export async function benchmarkArchitectures(context: SectionContext): Promise<void> {
  const shapes = defaultShapes(context.registry);
  context.progress(`network types (default options, P = ${formatCount(ARCHITECTURE_P)}): ${shapes.map((s) => `${s.type} (${s.weightCount} weights)`).join(', ')}`);
  for (const name of context.backends) {
    const backend = context.registry.backend(name);
    const emit = (row: ResultRow) => {
      context.emit(row);
      const rate = row.netStepsPerSecond !== null ? `${formatRate(row.netStepsPerSecond)} net-steps/s` : `skipped (${row.skipped})`;
      context.progress(`  ${benchmarkLabel(row)}, ${name}: ${rate}`);
    };
    let engine: string;
    try {
      await backend.init();
      engine = backend.describe();
    } catch (error) {
      const reason = `backend did not start: ${(error as Error).message}`;
      for (const shape of shapes) {
        for (const benchmark of ARCHITECTURE_BENCHMARKS) {
          emit({ ...common(shape, benchmark, name, 'not started'), measured: false, netStepsPerSecond: null, skipped: reason });
        }
      }
      continue;
    }
    context.progress(`${name}: network types (${engine})`);
    const options = context.measureOptions(name);
    // Rate of the weightwise kernels on this backend, to put the other types in proportion.
    const weightwise = new Map<KernelBenchmark, number>();
    for (const shape of shapes) {
      const initial = randomPopulation(shape, ARCHITECTURE_P, context.seed);
      let kernels;
      try {
        // The stream is for kernels that draw (e.g. a shuffled de-aggregation); the defaults do not.
        kernels = context.registry.kernelsFor(shape, backend, new RandomStreams(context.seed).stream('kernels'));
      } catch (error) {
        for (const benchmark of ARCHITECTURE_BENCHMARKS) {
          emit({ ...common(shape, benchmark, name, engine), measured: false, netStepsPerSecond: null, skipped: `no kernels: ${firstLine(error)}` });
        }
        continue;
      }
      try {
        for (const benchmark of ARCHITECTURE_BENCHMARKS) {
          const row = common(shape, benchmark, name, engine);
          let result: ReturnType<typeof measure>;
          try {
            result = measure(new KernelWorkload(kernels, benchmark, initial, shape.weightCount), options);
          } catch (error) {
            result = { skipped: `failed: ${firstLine(error)}` };
          }
          if ('skipped' in result) {
            emit({ ...row, measured: false, netStepsPerSecond: null, skipped: result.skipped });
            continue;
          }
          if (shape.type === 'weightwise') weightwise.set(benchmark, result.netStepsPerSecond);
          const reference = weightwise.get(benchmark);
          const relative = shape.type !== 'weightwise' && reference !== undefined ? `${ratio(result.netStepsPerSecond / reference)}× weightwise` : undefined;
          emit({
            ...row,
            netStepsPerSecond: result.netStepsPerSecond,
            samples: result.samples,
            calls: result.calls,
            chunk: result.chunk,
            restored: result.restored,
            ...(relative !== undefined ? { note: relative } : {}),
          });
        }
      } finally {
        kernels.dispose();
      }
    }
  }
}

/** Footer lines explaining the section. */
export function architectureNotes(): string[] {
  return [
    `network-type rows: every registered type with its default options (width 2, depth 2, linear, no bias; aggregating and fft: k = 4),`,
    `P = ${formatCount(ARCHITECTURE_P)}, the same kernels and timing as the weightwise rows (field "architecture" in --json); × weightwise = rate / weightwise row.`,
  ];
}

function common(shape: NetworkShape, benchmark: KernelBenchmark, backend: string, engine: string) {
  return {
    benchmark,
    architecture: shape.type,
    weightCount: shape.weightCount,
    backend,
    engine,
    P: ARCHITECTURE_P,
    measured: true,
    ...(benchmark === 'self-application' ? {} : { lr: SELF_TRAIN_LR, momentum: 0 }),
  };
}

function ratio(x: number): string {
  return x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
