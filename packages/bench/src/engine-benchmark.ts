import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { wasmBackendModule } from '@srnn/backend-wasm';
import { registryOf } from '@srnn/testing';
import { weightwiseModule } from '@srnn/weightwise';
import type { SectionContext } from './architecture-benchmark';
import { KernelWorkload, paperNetwork, randomPopulation, SELF_TRAIN_LR, type KernelBenchmark } from './kernel-workloads';
import { measure, median } from './measure';
import { formatRate } from './report';
import type { ResultRow } from './result-row';

declare module './result-row' {
  interface ResultRow {
    /** Engine rows: the rate as a multiple of the C floor's, measured in the same rounds (median of the rounds' ratios). */
    readonly vsFloor?: number;
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

/** One repetition of the C floor's `soa_f32` variant: wall-clock net-steps/s. */
function runFloor(binary: string, folder: string, mode: 'train' | 'apply', seconds: number): number {
  const run = spawnSync(binary, ['soa_f32', mode, join(folder, 'init_1000.f32'), String(ENGINE_P), String(seconds), '1'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the C floor failed: ${run.stderr.split('\n')[0]}`);
  return (JSON.parse(run.stdout) as { wall: number[] }).wall[0];
}

export function engineNotes(): string[] {
  return [
    `engine rows: weightwise P = ${ENGINE_P} on the js, wasm (f64x2) and wasm-f32 (f32x4) backends and the C floor (../shared/perf-floor soa_f32,`,
    `gcc -O3 -march=native), ${ROUNDS} rounds each timing every engine once in turn; × floor = median of the rounds' ratios (targets 0.2 train, 0.15 apply).`,
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
  try {
    const engines = [];
    for (const name of ENGINES) {
      const backend = registry.backend(name);
      await backend.init();
      engines.push({ name, engine: backend.describe(), kernels: registry.kernelsFor(network, backend) });
    }
    for (const { benchmark, floor: mode, target } of BENCHMARKS) {
      const rates = new Map<string, number[]>([...ENGINES, 'c'].map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        if (!('skipped' in floor)) rates.get('c')!.push(runFloor(floor.binary, folder, mode, options.seconds));
        for (const { name, kernels } of engines) {
          const result = measure(new KernelWorkload(kernels, benchmark, initial, network.weightCount), options);
          if ('skipped' in result) throw new Error(`${name}: ${result.skipped}`);
          rates.get(name)!.push(result.netStepsPerSecond);
        }
      }
      const c = rates.get('c')!;
      const common = { benchmark, P: ENGINE_P, measured: true, ...(benchmark === 'self-train' ? { lr: SELF_TRAIN_LR, momentum: 0 } : {}) };
      for (const { name, engine } of engines) {
        const samples = rates.get(name)!;
        const vsFloor = c.length > 0 ? median(samples.map((rate, r) => rate / c[r])) : undefined;
        const row: ResultRow = {
          ...common,
          backend: name,
          engine,
          netStepsPerSecond: median(samples),
          samples,
          ...(vsFloor !== undefined ? { vsFloor, note: `${vsFloor.toFixed(3)} × C floor (target ${target})` } : { note: 'C floor not measured' }),
        };
        section.emit(row);
        section.progress(`  engines: ${benchmark} ${name}: ${formatRate(row.netStepsPerSecond!)} net-steps/s${vsFloor !== undefined ? `, ${vsFloor.toFixed(3)} × C floor` : ''}`);
      }
      if (c.length > 0) section.emit({ ...common, backend: 'c-floor', engine: 'C soa_f32, gcc -O3 -march=native (../shared/perf-floor)', netStepsPerSecond: median(c), samples: c, vsFloor: 1 });
    }
  } finally {
    if (!('skipped' in floor)) rmSync(floor.dir, { recursive: true, force: true });
  }
}
