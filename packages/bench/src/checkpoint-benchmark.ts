import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Srnn } from '@srnn/runner';
import { interactionsModule } from '@srnn/interactions';
import { soupModule } from '@srnn/soup';
import { weightwiseModule } from '@srnn/weightwise';
import type { ResultRow } from './result-row';

/** Issue 13's target: checkpointing a 10⁵-particle soup every 10 epochs costs at most 5 % of its run time. */
export const CHECKPOINT_TARGET = { P: 100_000, every: 10, epochs: 20, maxCost: 0.05 } as const;

function soupText(P: number, epochs: number, every: number | undefined): string {
  return [
    'seed: 1',
    'architecture: { type: weightwise }',
    `population: { size: ${P} }`,
    'experiment:',
    '  type: soup',
    `  epochs: ${epochs}`,
    `  censusEvery: ${every ?? 10}`,
    '  interactions:',
    '    - { type: attack, rate: 0.1 }',
    '    - { type: learn-from, rate: 0.1, severity: 1 }',
    '    - { type: self-train, steps: 20, lr: 0.04 }',
    ...(every === undefined ? [] : [`checkpoint: { every: ${every} }`]),
    '',
  ].join('\n');
}

/**
 * The cost of checkpoints: the same soup into a results directory (census.csv, weights.json, …)
 * without and with a checkpoint every 10 epochs, alternating in one process, `repeats` times
 * each; the row reports the median ratio of the times − 1.
 */
export async function benchmarkCheckpoints(repeats: number, progress: (message: string) => void): Promise<ResultRow> {
  const { P, every, epochs, maxCost } = CHECKPOINT_TARGET;
  const srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, interactionsModule, soupModule] });
  const plain = await srnn.loadScenarioText(soupText(P, epochs, undefined), 'bench-soup.yaml');
  const checkpointed = await srnn.loadScenarioText(soupText(P, epochs, every), 'bench-soup-checkpoints.yaml');
  const dir = mkdtempSync(join(tmpdir(), 'srnn-bench-checkpoint-'));
  const time = async (loaded: typeof plain, name: string) => {
    const t0 = performance.now();
    await srnn.runIntoDirectory(srnn.createRun(loaded), join(dir, name));
    return (performance.now() - t0) / 1000;
  };
  const ratios: number[] = [];
  const times: number[] = [];
  try {
    for (let r = 0; r < repeats; r++) {
      const without = await time(plain, `plain-${r}`);
      const withCheckpoints = await time(checkpointed, `checkpointed-${r}`);
      ratios.push(withCheckpoints / without);
      times.push(without);
      progress(`  checkpoint cost, repetition ${r + 1}: ${without.toFixed(2)} s without, ${withCheckpoints.toFixed(2)} s with checkpoints`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const cost = median(ratios) - 1;
  return {
    benchmark: 'soup-checkpoints',
    backend: 'js',
    engine: 'js',
    P,
    steps: epochs,
    elapsedSeconds: median(times),
    netStepsPerSecond: null,
    measured: true,
    note: `a checkpoint every ${every} epochs of ${epochs}: ${(100 * cost).toFixed(1)} % of the run time (median of ${repeats} alternating pairs; target ≤ ${100 * maxCost} %: ${cost <= maxCost ? 'pass' : 'FAIL'})`,
  };
}
