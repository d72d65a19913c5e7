import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Srnn } from '@srnn/runner';
import { SELF_TRAIN_LR } from './kernel-workloads';
import type { ResultRow } from './result-row';

/** The results-writing row: `srnn run` of this many weightwise nets × steps, with and without its results directory. */
export const WRITING_P = 100_000;
export const WRITING_STEPS = 10;
const PAIRS = 9;

const scenario = (seed: number) =>
  [
    'name: bench-writing',
    `seed: ${seed}`,
    'architecture: { type: weightwise }',
    `population: { size: ${WRITING_P}, init: default }`,
    `experiment: { type: self-train, steps: ${WRITING_STEPS}, lr: ${SELF_TRAIN_LR} }`,
    '',
  ].join('\n');

/**
 * The share of a short large run spent writing its results: the same run executed alone
 * (execute(), no files) and into a results directory (runIntoDirectory: weights, census, summary,
 * resolved scenario; no figures, as no figure plugin is loaded), alternately, medians of the pairs.
 */
export async function benchmarkResultsWriting(srnn: Srnn, seed: number, progress: (message: string) => void): Promise<ResultRow> {
  let common = { benchmark: 'results-writing', backend: 'default', engine: 'the default engine', P: WRITING_P, steps: WRITING_STEPS, lr: SELF_TRAIN_LR, momentum: 0 };
  try {
    const loaded = await srnn.loadScenarioText(scenario(seed), '<bench scenario>');
    // the scenario names no backend: the run takes the default for its network, as `srnn run` would
    const backend = srnn.createRun(loaded).scenario.backend!;
    const engine = srnn.registry.backend(backend);
    await engine.init();
    common = { ...common, backend, engine: engine.describe() };
    const seconds = async (withFiles: boolean) => {
      const run = srnn.createRun(loaded);
      const out = mkdtempSync(join(tmpdir(), 'srnn-bench-writing-'));
      try {
        const t0 = performance.now();
        await (withFiles ? srnn.runIntoDirectory(run, join(out, 'run')) : run.execute());
        return (performance.now() - t0) / 1000;
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    };
    await seconds(true); // warm-up: loading and compiling
    const alone: number[] = [];
    const withFiles: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      alone.push(await seconds(false));
      withFiles.push(await seconds(true));
    }
    const median = (values: number[]) => values.slice().sort((a, b) => a - b)[values.length >> 1];
    const share = Math.max(0, 1 - median(alone) / median(withFiles));
    progress(`  results writing: ${(100 * share).toFixed(1)} % of a run of ${WRITING_P} nets × ${WRITING_STEPS} steps`);
    return {
      ...common,
      measured: true,
      netStepsPerSecond: (WRITING_P * WRITING_STEPS) / median(withFiles),
      elapsedSeconds: median(withFiles),
      note: `writing results ${(100 * share).toFixed(1)} % of the run (${median(alone).toFixed(2)} s without files)`,
    };
  } catch (error) {
    return { ...common, measured: false, netStepsPerSecond: null, skipped: `failed: ${(error as Error).message.split('\n')[0]}` };
  }
}
