import { Srnn } from '@srnn/runner';
import { SELF_TRAIN_LR } from './kernel-workloads';

export interface ExperimentTiming {
  readonly engine: string;
  readonly elapsedSeconds: number;
  readonly netStepsPerSecond: number;
}

function scenarioText(backend: string, P: number, steps: number, seed: number, censusEvery?: number): string {
  return [
    'name: bench-self-train',
    `seed: ${seed}`,
    `backend: ${backend}`,
    'architecture: { type: weightwise, width: 2, depth: 2, activation: linear, bias: false, layout: out-in }',
    `population: { size: ${P}, init: default }`,
    `experiment: { type: self-train, steps: ${steps}, lr: ${SELF_TRAIN_LR}, momentum: 0, batch: full${censusEvery ? `, censusEvery: ${censusEvery}` : ''} }`,
    '',
  ].join('\n');
}

/**
 * The whole `self-train` experiment through the programmatic API, as a user would run it
 * (scenario → run → execute, default census schedule unless given, no output directory): P × steps net-steps
 * over the run's wall-clock time, so the gap to the kernel row is the run's own overhead.
 */
export async function timeSelfTrainExperiment(srnn: Srnn, backend: string, P: number, steps: number, seed: number, censusEvery?: number): Promise<ExperimentTiming> {
  const loaded = await srnn.loadScenarioText(scenarioText(backend, P, steps, seed, censusEvery), '<bench scenario>');
  const run = srnn.createRun(loaded);
  const t0 = performance.now();
  const result = await run.execute();
  const elapsedSeconds = (performance.now() - t0) / 1000;
  return { engine: result.info.backend, elapsedSeconds, netStepsPerSecond: (P * steps) / elapsedSeconds };
}
