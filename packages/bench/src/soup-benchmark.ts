import { spawnSync } from 'node:child_process';
import { Srnn } from '@srnn/runner';
import { interactionsModule } from '@srnn/interactions';
import { soupModule } from '@srnn/soup';
import { weightwiseModule } from '@srnn/weightwise';
import { formatCount } from './report';
import type { ResultRow } from './result-row';

/** The soup of the target: attack 0.1, learn-from 0.1 (severity 1), 20 self-train steps per epoch. */
const ATTACK = 0.1;
const LEARN_FROM = 0.1;
const TRAIN_STEPS = 20;
/** Net-steps of one epoch per particle: its self-train steps plus the expected attacks and learn-from steps. */
const STEPS_PER_PARTICLE = TRAIN_STEPS + ATTACK + LEARN_FROM;

export const SOUP_TARGET = { P: 10_000, epochsPerSecond: 10 } as const;
export const LARGE_SOUP = { P: 1_000_000, epochs: 2, maxRssBytes: 2 * 1024 ** 3 } as const;
const TIMED_EPOCHS = 30;
const WARMUP_EPOCHS = 3;

interface ChildReport {
  readonly P: number;
  readonly epochs: number;
  readonly elapsedSeconds: number;
  readonly maxRssBytes: number;
}

function scenarioText(P: number, epochs: number, seed: number): string {
  return [
    'name: bench-soup',
    `seed: ${seed}`,
    'backend: js',
    'architecture: { type: weightwise, width: 2, depth: 2, activation: linear, bias: false, layout: out-in }',
    `population: { size: ${P}, init: default }`,
    'experiment:',
    '  type: soup',
    `  epochs: ${epochs}`,
    `  censusEvery: ${Math.max(epochs, 1)}`,
    '  interactions:',
    `    - { type: attack, rate: ${ATTACK} }`,
    `    - { type: learn-from, rate: ${LEARN_FROM}, severity: 1 }`,
    `    - { type: self-train, steps: ${TRAIN_STEPS}, lr: 0.04 }`,
    '',
  ].join('\n');
}

/** The soup run through the API (scenario → run → execute, no subscriber, no output files). */
async function timeSoup(srnn: Srnn, P: number, epochs: number, seed: number): Promise<number> {
  const run = srnn.createRun(await srnn.loadScenarioText(scenarioText(P, epochs, seed), '<bench soup>'));
  const t0 = performance.now();
  await run.execute();
  return (performance.now() - t0) / 1000;
}

/** In a fresh process (so that max RSS is the soup's own): an optional warm-up run, then the timed one. */
async function child(P: number, epochs: number, warmup: number, seed: number): Promise<void> {
  const srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, interactionsModule, soupModule] });
  if (warmup > 0) await timeSoup(srnn, P, warmup, seed);
  const elapsedSeconds = await timeSoup(srnn, P, epochs, seed);
  const report: ChildReport = { P, epochs, elapsedSeconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runChild(P: number, epochs: number, warmup: number, seed: number): ChildReport {
  const result = spawnSync(process.execPath, [__filename, '--child', String(P), String(epochs), String(warmup), String(seed)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`soup benchmark child exited ${result.status}: ${result.stderr.trim().split('\n').pop() ?? ''}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as ChildReport;
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/**
 * The soup experiment on the js backend, one core: epochs per second of a 10 000-particle soup
 * (target ≥ 10) and the peak memory of a 1 000 000-particle soup for a few epochs (limit 2 GiB),
 * each in its own process. net-steps/s counts self-train steps, learn-from steps and attacks.
 */
export async function benchmarkSoups(seed: number, progress: (message: string) => void): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const common = { backend: 'js', engine: 'js', measured: true, lr: 0.04, momentum: 0 };
  const cases = [
    { benchmark: 'soup-experiment', P: SOUP_TARGET.P, epochs: TIMED_EPOCHS, warmup: WARMUP_EPOCHS },
    { benchmark: 'soup-experiment-memory', P: LARGE_SOUP.P, epochs: LARGE_SOUP.epochs, warmup: 0 },
  ];
  for (const c of cases) {
    let row: ResultRow;
    try {
      const report = runChild(c.P, c.epochs, c.warmup, seed);
      const epochsPerSecond = report.epochs / report.elapsedSeconds;
      const rate = `${epochsPerSecond.toFixed(epochsPerSecond >= 10 ? 1 : 2)} epochs/s`;
      const note =
        c.P === SOUP_TARGET.P
          ? `${rate} (target ≥ ${SOUP_TARGET.epochsPerSecond}: ${epochsPerSecond >= SOUP_TARGET.epochsPerSecond ? 'pass' : 'FAIL'}); max RSS ${mib(report.maxRssBytes)}`
          : `max RSS ${mib(report.maxRssBytes)} (limit ${mib(LARGE_SOUP.maxRssBytes)}: ${report.maxRssBytes <= LARGE_SOUP.maxRssBytes ? 'pass' : 'FAIL'}); ${rate}`;
      row = {
        ...common,
        benchmark: c.benchmark,
        P: c.P,
        steps: c.epochs,
        elapsedSeconds: report.elapsedSeconds,
        netStepsPerSecond: c.P * STEPS_PER_PARTICLE * epochsPerSecond,
        note: `attack ${ATTACK}, learn-from ${LEARN_FROM}, self-train ${TRAIN_STEPS}; ${c.epochs} epochs: ${note}`,
        ...{ epochsPerSecond, maxRssBytes: report.maxRssBytes },
      };
    } catch (error) {
      row = { ...common, benchmark: c.benchmark, P: c.P, netStepsPerSecond: null, measured: false, skipped: `failed: ${(error as Error).message}` };
    }
    progress(`  ${row.benchmark}, P = ${formatCount(c.P)}: ${row.note ?? row.skipped}`);
    rows.push(row);
  }
  return rows;
}

if (require.main === module && process.argv[2] === '--child') {
  const [P, epochs, warmup, seed] = process.argv.slice(3).map(Number);
  child(P, epochs, warmup, seed).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
