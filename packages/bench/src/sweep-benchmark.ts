import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Srnn } from '@srnn/runner';
import type { SectionContext } from './architecture-benchmark';
import { KernelWorkload, SELF_TRAIN_LR, paperNetwork, randomPopulation } from './kernel-workloads';
import { formatSeconds, measure } from './measure';
import { formatCount, formatRate } from './report';
import type { ResultRow } from './result-row';

declare module './result-row' {
  interface ResultRow {
    /** Sweep rows: how the sweep ran (`in memory`: createSweep → execute(); `into directory`: runSweepIntoDirectory). */
    readonly sweep?: 'in memory' | 'into directory';
    /** Sweep rows: runs of the sweep and their rate. */
    readonly runs?: number;
    readonly runsPerSecond?: number;
    /** Sweep rows: wall-clock ms per run (createSweep included), of which the kernels' share at the measured kernel rate; the rest is fixed per-run cost. */
    readonly msPerRun?: number;
    readonly kernelMsPerRun?: number;
    readonly overheadMsPerRun?: number;
    /** Sweep rows: files written (into directory). */
    readonly files?: number;
    readonly bytes?: number;
  }
}

/** The sweep: LR_VALUES × REPLICATES runs of SWEEP_P weightwise nets self-training SWEEP_STEPS steps. */
export const LR_VALUES = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1];
export const REPLICATES = 10;
export const SWEEP_P = 10;
export const SWEEP_STEPS = 100;
const RUNS = LR_VALUES.length * REPLICATES;

/** Runs of the untimed warm-up sweep: enough for V8 to optimise the per-run code on js; few on slow backends. */
function warmupRuns(backend: string): number {
  return backend === 'js' ? 20 : 4;
}

/** Timed sweeps per row (the median is reported): a js sweep takes well under a second, a tfjs one seconds. */
function repetitions(backend: string): number {
  return backend === 'js' ? 3 : 1;
}

/** Longest each sweep row may take on a slow backend, predicted from a short warm-up sweep. */
const SWEEP_BUDGET_SECONDS = 30;

export function scenarioText(backend: string, seed: number, lrs: readonly number[], replicates: number): string {
  return [
    'name: bench-sweep',
    `seed: ${seed}`,
    `backend: ${backend}`,
    'architecture: { type: weightwise, width: 2, depth: 2, activation: linear, bias: false, layout: out-in }',
    `population: { size: ${SWEEP_P}, init: default }`,
    `experiment: { type: self-train, steps: ${SWEEP_STEPS}, lr: ${SELF_TRAIN_LR}, momentum: 0, batch: full }`,
    `sweep: { experiment.lr: [${lrs.join(', ')}] }`,
    `replicates: ${replicates}`,
    '',
  ].join('\n');
}

interface SweepTiming {
  readonly seconds: number;
  readonly expandSeconds: number;
  readonly runs: number;
  readonly files?: number;
  readonly bytes?: number;
}

/** loadScenarioText → createSweep → execute() (in memory) or runSweepIntoDirectory (files); createSweep is timed, loading is not. */
async function timeSweep(srnn: Srnn, text: string, into?: string): Promise<SweepTiming> {
  const loaded = await srnn.loadScenarioText(text, '<bench sweep>');
  const t0 = performance.now();
  const sweep = srnn.createSweep(loaded);
  const expandSeconds = (performance.now() - t0) / 1000;
  const result = into === undefined ? await sweep.execute() : await srnn.runSweepIntoDirectory(sweep, into);
  const seconds = (performance.now() - t0) / 1000;
  if (result.rows.length !== sweep.plan.runs.length) throw new Error(`the sweep ran ${result.rows.length} of ${sweep.plan.runs.length} runs`);
  const written = into === undefined ? undefined : tally(into);
  return { seconds, expandSeconds, runs: result.rows.length, ...written };
}

/** Files and bytes under dir. */
function tally(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

/**
 * 100 small runs in this one process through the public API: a scenario sweeping experiment.lr over
 * 10 values with 10 replicates, each run 10 weightwise nets × 100 self-train steps, executed in
 * memory and into a results directory, per selected backend. Reports runs/s, ms per run and the fixed
 * cost per run beyond the training kernels (measured here at P = 10).
 */
export async function benchmarkSweep(context: SectionContext, createSrnn: () => Promise<Srnn>): Promise<void> {
  const netSteps = RUNS * SWEEP_P * SWEEP_STEPS;
  for (const name of context.backends) {
    const common = { benchmark: 'sweep', backend: name, P: SWEEP_P, steps: SWEEP_STEPS, runs: RUNS, lr: SELF_TRAIN_LR, momentum: 0, measured: true };
    const emit = (row: ResultRow) => {
      context.emit(row);
      const what = row.netStepsPerSecond !== null ? `${row.elapsedSeconds?.toFixed(2)} s, ${row.runsPerSecond?.toFixed(0)} runs/s, ${row.msPerRun?.toFixed(1)} ms/run` : `skipped (${row.skipped})`;
      context.progress(`  sweep of ${RUNS} runs (${row.sweep}), ${name}: ${what}`);
    };
    const skipBoth = (engine: string, reason: string) => {
      for (const sweep of ['in memory', 'into directory'] as const) emit({ ...common, sweep, engine, measured: false, netStepsPerSecond: null, skipped: reason });
    };
    context.progress(`${name}: sweep of ${RUNS} runs × ${SWEEP_P} nets × ${SWEEP_STEPS} steps`);

    // The kernel rate at this population size: what the runs' training alone would cost.
    const backend = context.registry.backend(name);
    let engine: string;
    let kernelRate: number | undefined;
    try {
      await backend.init();
      engine = backend.describe();
      const network = paperNetwork();
      const kernels = context.registry.kernelsFor(network, backend);
      try {
        const result = measure(new KernelWorkload(kernels, 'self-train', randomPopulation(network, SWEEP_P, context.seed), network.weightCount), context.measureOptions(name));
        if (!('skipped' in result)) kernelRate = result.netStepsPerSecond;
      } finally {
        kernels.dispose();
      }
    } catch (error) {
      skipBoth('not started', `failed: ${firstLine(error)}`);
      continue;
    }
    context.progress(`  self-train kernel at P = ${SWEEP_P}, ${name}: ${kernelRate === undefined ? 'not measured' : `${formatRate(kernelRate)} net-steps/s`}`);

    let tmp: string | undefined;
    try {
      const srnn = await createSrnn();
      // A short sweep first (untimed): loads and compiles what the first run would otherwise pay
      // for, and on a slow backend predicts the long ones.
      const warmup = await timeSweep(srnn, scenarioText(name, context.seed, [SELF_TRAIN_LR], warmupRuns(name)));
      const predicted = (warmup.seconds / warmup.runs) * RUNS;
      if (name !== 'js' && predicted > SWEEP_BUDGET_SECONDS) {
        skipBoth(engine, `would take about ${formatSeconds(predicted)} (limit ${SWEEP_BUDGET_SECONDS} s)`);
        continue;
      }
      tmp = mkdtempSync(join(tmpdir(), 'srnn-bench-sweep-'));
      const text = scenarioText(name, context.seed, LR_VALUES, REPLICATES);
      for (const sweep of ['in memory', 'into directory'] as const) {
        const timings: SweepTiming[] = [];
        for (let r = 0; r < repetitions(name); r++) timings.push(await timeSweep(srnn, text, sweep === 'in memory' ? undefined : join(tmp, `out-${r}`)));
        // the median sweep (by wall clock)
        const timing = [...timings].sort((a, b) => a.seconds - b.seconds)[timings.length >> 1];
        const msPerRun = (1000 * timing.seconds) / timing.runs;
        const kernelMsPerRun = kernelRate === undefined ? undefined : (1000 * SWEEP_P * SWEEP_STEPS) / kernelRate;
        const overheadMsPerRun = kernelMsPerRun === undefined ? undefined : msPerRun - kernelMsPerRun;
        const parts = [
          `${(timing.runs / timing.seconds).toFixed(0)} runs/s, ${msPerRun.toFixed(2)} ms/run`,
          ...(kernelMsPerRun !== undefined && overheadMsPerRun !== undefined
            ? [
                overheadMsPerRun >= 0
                  ? `= ${kernelMsPerRun.toFixed(2)} ms kernel (at ${formatRate(kernelRate!)} net-steps/s) + ${overheadMsPerRun.toFixed(2)} ms fixed per run`
                  : `kernel alone ${kernelMsPerRun.toFixed(2)} ms (at ${formatRate(kernelRate!)} net-steps/s): fixed cost per run below the noise`,
              ]
            : []),
          `createSweep ${formatSeconds(timing.expandSeconds)}`,
          ...(timing.files !== undefined ? [`${timing.files} files, ${((timing.bytes ?? 0) / 1024).toFixed(0)} kB; no figures (plot package not loaded: discovery off)`] : []),
        ];
        emit({
          ...common,
          sweep,
          engine,
          netStepsPerSecond: netSteps / timing.seconds,
          elapsedSeconds: timing.seconds,
          ...(timings.length > 1 ? { samples: timings.map((t) => netSteps / t.seconds) } : {}),
          runsPerSecond: timing.runs / timing.seconds,
          msPerRun,
          ...(kernelMsPerRun !== undefined ? { kernelMsPerRun, overheadMsPerRun } : {}),
          ...(timing.files !== undefined ? { files: timing.files, bytes: timing.bytes } : {}),
          note: parts.join('; '),
        });
      }
    } catch (error) {
      skipBoth(engine, `failed: ${firstLine(error)}`);
    } finally {
      if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
    }
  }
}

/** Footer lines explaining the sweep rows. */
export function sweepNotes(): string[] {
  return [
    `sweep rows: one scenario, sweep { experiment.lr: ${LR_VALUES.length} values } × replicates ${REPLICATES} = ${RUNS} runs of ${SWEEP_P} weightwise nets × ${SWEEP_STEPS} self-train steps`,
    `(default census schedule: every ${Math.max(1, Math.ceil(SWEEP_STEPS / 50))} steps), in one process: Srnn.create({ discover: false }) → loadScenarioText → createSweep →`,
    `execute() (in memory) or runSweepIntoDirectory (files in a temporary directory, removed afterwards), after an untimed warm-up sweep`,
    `(${warmupRuns('js')} runs on js, ${warmupRuns('tfjs')} on tfjs); median of ${repetitions('js')} sweeps on js, ${repetitions('tfjs')} on tfjs; net-steps/s = ${formatCount(RUNS * SWEEP_P * SWEEP_STEPS)} / wall clock.`,
    `fixed per run = ms/run − ${formatCount(SWEEP_P * SWEEP_STEPS)} net-steps at the self-train kernel rate measured at P = ${SWEEP_P} (census classification, setup, files).`,
  ];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
