#!/usr/bin/env node
import { availableParallelism, loadavg } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { PluginRegistry } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { tfjsBackendModule } from '@srnn/backend-tfjs';
import { selfTrainModule } from '@srnn/self-train';
import { weightwiseModule } from '@srnn/weightwise';
import { architectureNotes, benchmarkArchitectures, kernelRegistry } from './architecture-benchmark';
import { wasmBackendModule } from '@srnn/backend-wasm';
import { benchmarkEngines, engineNotes } from './engine-benchmark';
import { benchmarkTypeEngines, typeEngineNotes } from './type-engine-benchmark';
import { timeSelfTrainExperiment } from './experiment-benchmark';
import { benchmarkResultsWriting, WRITING_P, WRITING_STEPS } from './results-writing-benchmark';
import { benchmarkSoups } from './soup-benchmark';
import { benchmarkCheckpoints, CHECKPOINT_TARGET } from './checkpoint-benchmark';
import { KERNEL_BENCHMARKS, KernelWorkload, MOMENTUM, SELF_TRAIN_LR, paperNetwork, randomPopulation } from './kernel-workloads';
import { formatSeconds, measure, type MeasureOptions } from './measure';
import { PYTORCH_REFERENCE, TARGETS, pytorchFigure } from './reference';
import { formatCount, formatRate, formatTable, benchmarkLabel } from './report';
import type { ResultRow } from './result-row';
import { benchmarkPool, PAIRS_FOR_INTERVAL, poolNotes, type Load, type PoolWorkload } from './pool-benchmark';
import { benchmarkSweep, sweepNotes } from './sweep-benchmark';

const BACKENDS = ['js', 'tfjs'] as const;
type BackendName = (typeof BACKENDS)[number];

/** The end-to-end row: the self-train experiment at this size and length. */
const EXPERIMENT_P = 1000;
const EXPERIMENT_STEPS = 1000;

interface Flags {
  json: boolean;
  backend: BackendName | 'all';
  sizes: number[];
  seconds: number;
  repeats: number;
  seed: number;
  experiment: boolean;
  architectures: boolean;
  engines: boolean;
  enginesOnly: boolean;
  baseline?: string;
  sweep: boolean;
  checkpoints: boolean;
  paper: boolean;
  pool: boolean;
  poolRepeats?: number;
  poolDir?: string;
  paperRepeats?: number;
  load: Load | 'both';
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function seedValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw new InvalidArgumentError('expected an integer in [0, 2^32)');
  return n;
}

function sizeList(value: string): number[] {
  const sizes = value.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new InvalidArgumentError('expected a comma-separated list of positive integers, e.g. 1,100,1000,10000');
  }
  return sizes;
}

function parseFlags(argv: readonly string[]): Flags {
  const program = new Command('srnn-bench')
    .description('Net-steps per second of weightwise self-training and self-application (4-2-2-1 linear, 14 weights) per backend and population size.')
    .option('--json', 'print only a JSON array of result rows on stdout', false)
    .addOption(new Option('--backend <name>', 'backend to measure').choices(['js', 'tfjs', 'all']).default('all'))
    .option('--sizes <list>', 'population sizes P', sizeList, [1, 100, 1000, 10000])
    .option('--seconds <s>', 'timed seconds per repetition', positiveNumber, 0.5)
    .option('--repeats <n>', 'repetitions per case (the median is reported)', positiveInteger, 5)
    .option('--seed <n>', 'seed of the random initial weights', seedValue, 1)
    .option('--no-experiment', `skip the end-to-end self-train experiment row (P = ${EXPERIMENT_P}, ${EXPERIMENT_STEPS} steps)`)
    .option('--no-architectures', 'skip the self-train and self-application rows of every network type (P = 1000)')
    .option('--no-engines', 'skip the engine rows (weightwise: js, wasm, wasm-f32 against the C floor of ../shared/perf-floor; the other types: js against their default engine; P = 1000)')
    .option('--engines-only', 'only the engine rows', false)
    .option('--baseline <dir>', "engine rows: also time the other types' js kernels of this built srnn checkout (e.g. a worktree of 7460155, issue 16's baseline), in the same rounds")
    .option('--no-checkpoints', `skip the checkpoint cost row (a ${CHECKPOINT_TARGET.P}-particle soup with and without a checkpoint every ${CHECKPOINT_TARGET.every} epochs)`)
    .option('--no-sweep', 'skip the sweep rows (100 runs of 10 nets × 100 self-train steps through the API, and `srnn run` of 200 such runs with 1 and 2 workers)')
    .option('--no-paper', 'skip the paper rows (`srnn paper` at full settings with 1 and 2 workers, in turn)')
    .option('--pool', 'only the pool rows: `srnn run` of a sweep and `srnn paper` with 1 and 2 workers, idle and with one core busy', false)
    .option('--pool-repeats <n>', 'repetitions of each pool row, 1 and 2 workers side by side in each (the median and, from 6 on, its 95 % interval are reported; default 6)', positiveInteger)
    .option('--pool-dir <dir>', 'pool rows: where the srnn processes write their results (default: /dev/shm where it is a writable tmpfs, else the temporary directory)')
    .option('--paper-repeats <n>', 'the same as --pool-repeats (its former name)', positiveInteger)
    .addOption(new Option('--load <which>', 'pool rows: on the machine as it is, with another process keeping one core busy, or both').choices(['idle', 'busy', 'both']).default('both'))
    .showHelpAfterError();
  program.parse(argv as string[]);
  const flags = program.opts<Flags>();
  return flags.enginesOnly ? { ...flags, engines: true, experiment: false, architectures: false, sweep: false, checkpoints: false, paper: false } : flags;
}

/** Progress goes to stderr, so that stdout carries only the table (or the JSON). */
function progress(message: string): void {
  peakLoad = Math.max(peakLoad, loadavg()[0]);
  process.stderr.write(`${message}\n`);
}

/** Highest 1-minute load average seen at a progress report. */
let peakLoad = 0;

function measureOptions(backend: BackendName, flags: Flags): MeasureOptions {
  return {
    seconds: flags.seconds,
    repeats: flags.repeats,
    warmupSeconds: Math.min(0.25, flags.seconds),
    // tfjs is orders of magnitude slower: skip a case whose single call alone would blow the time budget.
    maxCallSeconds: backend === 'tfjs' ? Math.max(2 * flags.seconds, 0.25) : Number.POSITIVE_INFINITY,
  };
}

function withComparison(row: ResultRow): ResultRow {
  const rate = row.netStepsPerSecond;
  if (rate === null) return row;
  const reference = pytorchFigure(row.benchmark);
  const target = row.backend === TARGETS.backend && row.P === TARGETS.P ? TARGETS.netStepsPerSecond[row.benchmark] : undefined;
  return {
    ...row,
    ...(reference !== undefined ? { vsPytorch: rate / reference } : {}),
    ...(target !== undefined ? { target, meetsTarget: rate >= target } : {}),
  };
}

function referenceRows(): ResultRow[] {
  return Object.entries(PYTORCH_REFERENCE.netStepsPerSecond).map(([benchmark, rate]) => ({
    benchmark,
    backend: 'pytorch',
    engine: PYTORCH_REFERENCE.engine,
    P: null,
    netStepsPerSecond: rate,
    measured: false,
    note: 'reference figure from the issue, not measured',
  }));
}

async function benchmarkBackend(name: BackendName, flags: Flags, registry: PluginRegistry, srnn: () => Promise<Srnn>, rows: ResultRow[]): Promise<string> {
  const backend = registry.backend(name);
  const emit = (row: ResultRow) => {
    const done = withComparison(row);
    rows.push(done);
    const rate = done.netStepsPerSecond !== null ? `${formatRate(done.netStepsPerSecond)} net-steps/s` : `skipped (${done.skipped})`;
    progress(`  ${benchmarkLabel(done)}, P = ${done.P === null ? '-' : formatCount(done.P)}: ${rate}`);
  };
  try {
    await backend.init();
  } catch (error) {
    const reason = `backend did not start: ${(error as Error).message}`;
    progress(`${name}: ${reason}`);
    for (const benchmark of KERNEL_BENCHMARKS) {
      for (const P of flags.sizes) emit({ benchmark, backend: name, engine: 'not started', P, netStepsPerSecond: null, measured: false, skipped: reason });
    }
    return `${name}: not started`;
  }
  const engine = backend.describe();
  progress(`${name}: ${engine}`);

  const network = paperNetwork();
  const kernels = registry.kernelsFor(network, backend);
  const options = measureOptions(name, flags);
  const trainRates = new Map<number, number>();
  try {
    for (const benchmark of KERNEL_BENCHMARKS) {
      for (const P of flags.sizes) {
        const workload = new KernelWorkload(kernels, benchmark, randomPopulation(network, P, flags.seed), network.weightCount);
        let result: ReturnType<typeof measure>;
        try {
          result = measure(workload, options);
        } catch (error) {
          result = { skipped: `failed: ${(error as Error).message.split('\n')[0]}` };
        }
        const common = {
          benchmark,
          backend: name,
          engine,
          P,
          measured: true,
          ...(benchmark === 'self-application' ? {} : { lr: SELF_TRAIN_LR, momentum: benchmark === 'self-train-momentum' ? MOMENTUM : 0 }),
        };
        if ('skipped' in result) {
          emit({ ...common, measured: false, netStepsPerSecond: null, skipped: result.skipped });
          continue;
        }
        if (benchmark === 'self-train') trainRates.set(P, result.netStepsPerSecond);
        emit({
          ...common,
          netStepsPerSecond: result.netStepsPerSecond,
          samples: result.samples,
          calls: result.calls,
          chunk: result.chunk,
          restored: result.restored,
        });
      }
    }
  } finally {
    kernels.dispose();
  }

  if (flags.experiment) await benchmarkExperiment(name, engine, flags, srnn, trainRates.get(EXPERIMENT_P), emit);
  return `${name}: ${engine}`;
}

/** Longest the experiment row may take; predicted from the kernel rate when that was measured. */
const EXPERIMENT_BUDGET_SECONDS = 30;

async function benchmarkExperiment(name: BackendName, engine: string, flags: Flags, createSrnn: () => Promise<Srnn>, kernelRate: number | undefined, emit: (row: ResultRow) => void): Promise<void> {
  const common = { benchmark: 'self-train-experiment', backend: name, engine, P: EXPERIMENT_P, steps: EXPERIMENT_STEPS, lr: SELF_TRAIN_LR, momentum: 0, measured: true };
  const work = EXPERIMENT_P * EXPERIMENT_STEPS;
  const censusEvery = Math.ceil(EXPERIMENT_STEPS / 50);
  try {
    const srnn = await createSrnn();
    // A short run first, so that the timed one does not pay for loading and compiling; on a slow
    // backend it also predicts the long run when no kernel figure at this size was measured.
    const warmup = await timeSelfTrainExperiment(srnn, name, EXPERIMENT_P, 2 * censusEvery, flags.seed, censusEvery);
    if (name !== 'js') {
      const predicted = work / (kernelRate ?? warmup.netStepsPerSecond);
      if (predicted > EXPERIMENT_BUDGET_SECONDS) {
        emit({ ...common, measured: false, netStepsPerSecond: null, skipped: `would take about ${formatSeconds(predicted)} (limit ${EXPERIMENT_BUDGET_SECONDS} s)` });
        return;
      }
    }
    const timing = await timeSelfTrainExperiment(srnn, name, EXPERIMENT_P, EXPERIMENT_STEPS, flags.seed);
    const gap = kernelRate !== undefined ? Math.round(100 * (1 - timing.netStepsPerSecond / kernelRate)) : undefined;
    const overhead = gap === undefined ? undefined : `${Math.abs(gap)} % ${gap >= 0 ? 'below' : 'above'} the kernel row`;
    emit({
      ...common,
      engine: timing.engine,
      netStepsPerSecond: timing.netStepsPerSecond,
      elapsedSeconds: timing.elapsedSeconds,
      ...(overhead !== undefined ? { note: overhead } : {}),
    });
  } catch (error) {
    emit({ ...common, netStepsPerSecond: null, measured: false, skipped: `failed: ${(error as Error).message.split('\n')[0]}` });
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv);
  // Keep stdout for the result: libraries that log (tfjs does) are sent to stderr.
  console.log = console.error;
  console.info = console.error;
  const started = performance.now();
  const names = flags.backend === 'all' ? [...BACKENDS] : [flags.backend];
  let srnnInstance: Promise<Srnn> | undefined;
  // Exactly the plugins the experiment rows need (the wasm backends: the results-writing row runs the default engine, as `srnn run` does).
  const srnn = () => (srnnInstance ??= Srnn.create({ discover: false, modules: [weightwiseModule, selfTrainModule, tfjsBackendModule, wasmBackendModule] }));

  const rows: ResultRow[] = flags.pool || flags.enginesOnly ? [] : referenceRows();
  const engines: string[] = [];
  progress(`srnn bench: sizes ${flags.sizes.map(formatCount).join(', ')}; ${flags.repeats} × ≥ ${flags.seconds} s per case`);
  const registry = await kernelRegistry();
  if (!flags.pool && !flags.enginesOnly) for (const name of names) engines.push(await benchmarkBackend(name, flags, registry, srnn, rows));
  const section = {
    backends: names,
    seed: flags.seed,
    registry,
    measureOptions: (name: string) => measureOptions(name as BackendName, flags),
    progress,
    emit: (row: ResultRow) => void rows.push(row),
  };
  if (!flags.pool && flags.architectures) await benchmarkArchitectures(section);
  if (!flags.pool && flags.engines) {
    await benchmarkEngines(section);
    await benchmarkTypeEngines(section, flags.baseline);
  }
  if (!flags.pool && flags.sweep) await benchmarkSweep(section, srnn);
  if (!flags.pool && flags.experiment && names.includes('js')) rows.push(...(await benchmarkSoups(flags.seed, progress)));
  if (!flags.pool && flags.experiment && names.includes('js')) rows.push(await benchmarkResultsWriting(await srnn(), flags.seed, progress));
  if (!flags.pool && flags.sweep) await (await import('./queue-benchmark.js')).benchmarkQueue(section);
  const workloads: PoolWorkload[] = [...(flags.sweep ? (['sweep'] as const) : []), ...(flags.paper ? (['paper'] as const) : [])];
  const loads: Load[] = flags.load === 'both' ? ['idle', 'busy'] : [flags.load];
  if (!flags.pool && flags.checkpoints && names.includes('js')) rows.push(await benchmarkCheckpoints(3, progress));
  if (workloads.length > 0)
    await benchmarkPool({ progress, emit: section.emit }, { workloads, loads, repeats: flags.poolRepeats ?? flags.paperRepeats ?? PAIRS_FOR_INTERVAL, seed: flags.seed, outputs: flags.poolDir });
  const totalSeconds = (performance.now() - started) / 1000;
  const cores = availableParallelism();
  // The bench keeps one core busy (plus V8's compiler and GC threads); a load well above the core
  // count means other processes competed for the CPU.
  const busy = peakLoad > cores + 0.5;
  const loadNote = `peak 1-min load average ${peakLoad.toFixed(1)} on ${cores} cores${busy ? ': other processes competed for the CPU, figures are noisy (see best and spread)' : ''}`;
  if (busy) progress(`warning: ${loadNote}`);

  if (flags.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const header = flags.pool
    ? ['', 'srnn bench --pool: the local pool of worker threads, 1 against 2 workers', loadNote, '']
    : [
        '',
        'srnn bench: weightwise 4-2-2-1, linear, no bias, out-in (14 weights); full-batch steps; random "default" init',
        `net-steps/s = networks × steps / second; median of ${flags.repeats} repetition${flags.repeats === 1 ? '' : 's'} of ≥ ${flags.seconds} s after warm-up (best = fastest repetition; spread = half the range / median)`,
        `targets: js at P = ${formatCount(TARGETS.P)} on one core; × PyTorch = multiple of the authors' reference figure on this machine`,
        `engines: ${engines.join('; ')}`,
        loadNote,
        '',
      ];
  const footer = flags.pool
    ? ['', ...poolNotes(loads, flags.poolDir), `total ${totalSeconds.toFixed(1)} s`]
    : [
        '',
        'self-application runs in place (apply(batch, batch, batch)); random nets die within a few calls, so every timed',
        'chunk starts again from the initial weights. re-inits = networks found dead (all 0), diverged or subnormal after a chunk.',
        ...(!flags.pool && flags.experiment
          ? [`the experiment row runs scenario → createRun → execute() (default census schedule: every ${Math.ceil(EXPERIMENT_STEPS / 50)} steps; no output files).`]
          : []),
        ...(!flags.pool && flags.experiment
          ? [`results-writing: ${formatCount(WRITING_P)} weightwise nets × ${WRITING_STEPS} steps into a results directory vs execute() alone, alternately (share = 1 − alone / with files).`]
          : []),
        ...(!flags.pool && flags.architectures ? architectureNotes() : []),
        ...(!flags.pool && flags.engines ? [...engineNotes(), ...typeEngineNotes(flags.baseline)] : []),
        ...(!flags.pool && flags.sweep ? sweepNotes() : []),
        ...(workloads.length > 0 ? poolNotes(loads, flags.poolDir) : []),
        `total ${totalSeconds.toFixed(1)} s`,
      ];
  process.stdout.write(`${[...header, formatTable(rows), ...footer].join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`srnn bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
