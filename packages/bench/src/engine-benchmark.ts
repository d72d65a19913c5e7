import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { wasmBackendModule } from '@srnn/backend-wasm';
import { registryOf } from '@srnn/testing';
import { weightwiseModule } from '@srnn/weightwise';
import type { SectionContext } from './architecture-benchmark';
import { KernelWorkload, paperNetwork, randomPopulation, SELF_TRAIN_LR, type KernelBenchmark } from './kernel-workloads';
import { median, type Workload } from './measure';
import { formatRate } from './report';
import type { ResultRow } from './result-row';

declare module './result-row' {
  interface ResultRow {
    /** Engine rows: the rate as a multiple of the C floor's, measured in the same rounds (median of the rounds' ratios), by wall clock. */
    readonly vsFloor?: number;
    /** The same by CPU time (the process's, the C floor's too): less disturbed by other processes. */
    readonly vsFloorCpu?: number;
    /** Rate per round by CPU time. */
    readonly cpuSamples?: readonly number[];
  }
}

/** Population of the engine rows (the issue's targets are at P = 1 000). */
const ENGINE_P = 1000;
const ENGINES = ['js', 'wasm', 'wasm-f32'] as const;
const BENCHMARKS: readonly { benchmark: KernelBenchmark; floor: 'train' | 'apply'; target: number }[] = [
  { benchmark: 'self-train', floor: 'train', target: 0.2 },
  { benchmark: 'self-application', floor: 'apply', target: 0.15 },
];
/** Rounds per benchmark: each times every engine and the C floor once, in turn. */
const ROUNDS = 5;

/** ../shared/perf-floor beside the repository (or SRNN_PERF_FLOOR): the C reference of the weightwise kernels. */
function floorFolder(): string {
  return process.env.SRNN_PERF_FLOOR ?? resolve(__dirname, '..', '..', '..', '..', 'shared', 'perf-floor');
}

/** Builds floor.c with gcc -O3 -march=native into a temporary folder; the reason when it cannot. */
function buildFloor(folder: string): { binary: string; dir: string } | { skipped: string } {
  if (!existsSync(join(folder, 'floor.c')) || !existsSync(join(folder, 'init_1000.f32'))) return { skipped: `no C floor at ${folder} (floor.c, init_1000.f32)` };
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) return { skipped: 'no gcc: the C floor is not measured' };
  const dir = mkdtempSync(join(tmpdir(), 'srnn-floor-'));
  const binary = join(dir, 'floor');
  const built = spawnSync('gcc', ['-O3', '-march=native', '-o', binary, join(folder, 'floor.c'), '-lm'], { encoding: 'utf8' });
  if (built.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skipped: `gcc failed: ${(built.stderr || String(built.error)).split('\n')[0]}` };
  }
  return { binary, dir };
}

export interface Rates {
  readonly wall: number;
  readonly cpu: number;
}

/** One repetition of the C floor's `soa_f32` variant: net-steps/s by wall clock and by CPU time. */
function runFloor(binary: string, folder: string, mode: 'train' | 'apply', seconds: number): Rates {
  const run = spawnSync(binary, ['soa_f32', mode, join(folder, 'init_1000.f32'), String(ENGINE_P), String(seconds), '1'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the C floor failed: ${run.stderr.split('\n')[0]}`);
  const rates = JSON.parse(run.stdout) as { wall: number[]; cpu: number[] };
  return { wall: rates.wall[0], cpu: rates.cpu[0] };
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * The C floor's protocol (that of `measure`): warm-up finding a chunk of calls of ≥ 2 ms, then
 * timed chunks for `seconds`, unhealthy networks restored between chunks outside the clocks; by wall
 * clock and by the process's CPU time.
 */
export function timeWorkload(workload: Workload, seconds: number, warmupSeconds: number): Rates {
  workload.reset();
  let chunk = 1;
  const warmupEnd = performance.now() + warmupSeconds * 1000;
  for (let first = true; ; first = false) {
    const t0 = performance.now();
    for (let i = 0; i < chunk; i++) workload.step();
    const dt = performance.now() - t0;
    workload.heal();
    if (dt < 2) chunk *= 2;
    if (performance.now() >= warmupEnd && !first) break;
  }
  workload.reset();
  let wall = 0;
  let cpu = 0;
  let calls = 0;
  do {
    const t0 = performance.now();
    const c0 = cpuSeconds();
    for (let i = 0; i < chunk; i++) workload.step();
    cpu += cpuSeconds() - c0;
    wall += (performance.now() - t0) / 1000;
    calls += chunk;
    workload.heal();
  } while (wall < seconds);
  return { wall: (calls * workload.nets) / wall, cpu: (calls * workload.nets) / cpu };
}

/** The backend a scenario without `backend` runs the paper's net on (srnn's own resolution, PluginRegistry.defaultBackend). */
function defaultEngine(): string {
  return registryOf(weightwiseModule, wasmBackendModule).defaultBackend(paperNetwork());
}

export function engineNotes(): string[] {
  return [
    `engine rows: weightwise P = ${ENGINE_P} on the js, wasm (f64x2) and wasm-f32 (f32x4) backends and the C floor (../shared/perf-floor soa_f32,`,
    `gcc -O3 -march=native), ${ROUNDS} rounds each timing every engine once in turn; × C floor = median of the rounds' ratios, by wall clock and by CPU time`,
    `(targets 0.2 train, 0.15 apply, for the default engine: here ${defaultEngine()}, the row "default").`,
  ];
}

/**
 * The kernel engines side by side with the C floor, alternating in every round so that a loaded
 * machine slows all alike: weightwise self-training and self-application at P = 1 000 from the
 * floor's own initial weights when it is there.
 */
export async function benchmarkEngines(section: SectionContext): Promise<void> {
  const registry = registryOf(weightwiseModule, wasmBackendModule);
  const network = paperNetwork();
  const folder = floorFolder();
  const floor = buildFloor(folder);
  if ('skipped' in floor) section.progress(`engines: ${floor.skipped}`);
  const initial = 'skipped' in floor ? randomPopulation(network, ENGINE_P, section.seed) : new Float32Array(readFileSync(join(folder, 'init_1000.f32')).buffer.slice(0, ENGINE_P * 14 * 4));
  const options = { ...section.measureOptions('js'), repeats: 1 };
  const byDefault = defaultEngine();
  section.progress(`engines: the default engine of the paper's net (a scenario without backend) is ${byDefault}`);
  try {
    const engines = [];
    for (const name of ENGINES) {
      const backend = registry.backend(name);
      await backend.init();
      engines.push({ name, engine: backend.describe(), kernels: registry.kernelsFor(network, backend) });
    }
    for (const { benchmark, floor: mode, target } of BENCHMARKS) {
      const rates = new Map<string, Rates[]>([...ENGINES, 'c'].map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        if (!('skipped' in floor)) rates.get('c')!.push(runFloor(floor.binary, folder, mode, options.seconds));
        for (const { name, kernels } of engines) rates.get(name)!.push(timeWorkload(new KernelWorkload(kernels, benchmark, initial, network.weightCount), options.seconds, options.warmupSeconds));
      }
      const c = rates.get('c')!;
      const common = { benchmark, P: ENGINE_P, measured: true, ...(benchmark === 'self-train' ? { lr: SELF_TRAIN_LR, momentum: 0 } : {}) };
      const ratio = (samples: readonly Rates[], clock: keyof Rates) => median(samples.map((rate, r) => rate[clock] / c[r][clock]));
      for (const { name, engine } of engines) {
        const samples = rates.get(name)!;
        const floorRatios = c.length > 0 ? { vsFloor: ratio(samples, 'wall'), vsFloorCpu: ratio(samples, 'cpu') } : undefined;
        const row: ResultRow = {
          ...common,
          backend: name,
          engine,
          netStepsPerSecond: median(samples.map((s) => s.wall)),
          samples: samples.map((s) => s.wall),
          cpuSamples: samples.map((s) => s.cpu),
          ...(floorRatios
            ? { ...floorRatios, note: `${floorRatios.vsFloor.toFixed(3)} × C floor (CPU time: ${floorRatios.vsFloorCpu.toFixed(3)} ×; target ${target})` }
            : { note: 'C floor not measured' }),
        };
        section.emit(row);
        // the issue's target is the default engine's: the same measurement again under its own name
        if (name === byDefault) section.emit({ ...row, backend: 'default', engine: `${name}: ${engine}`, note: `default engine (${name}): ${row.note}` });
        section.progress(
          `  engines: ${benchmark} ${name}: ${formatRate(row.netStepsPerSecond!)} net-steps/s${floorRatios ? `, ${floorRatios.vsFloor.toFixed(3)} × C floor (CPU time ${floorRatios.vsFloorCpu.toFixed(3)} ×)` : ''}`,
        );
      }
      if (c.length > 0) {
        const wall = c.map((s) => s.wall);
        section.emit({
          ...common,
          backend: 'c-floor',
          engine: 'C soa_f32, gcc -O3 -march=native (../shared/perf-floor)',
          netStepsPerSecond: median(wall),
          samples: wall,
          cpuSamples: c.map((s) => s.cpu),
          vsFloor: 1,
          vsFloorCpu: 1,
        });
      }
    }
  } finally {
    if (!('skipped' in floor)) rmSync(floor.dir, { recursive: true, force: true });
  }
}
