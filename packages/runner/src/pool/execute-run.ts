import { mkdirSync } from 'node:fs';
import { Run, type Census, type PluginRegistry, type ResolvedScenario, type RunEventOf } from '@srnn/core';
import { writeRunFiles } from '../results/results-directory';

/** What one run of a sweep yields. */
export interface SweepRunOutcome {
  readonly census: Census;
  readonly populationSize: number;
  /** The mean loss of the run's last census, when it had one. */
  readonly meanLoss?: number;
  readonly elapsedMs: number;
  /** What ran the numerics (as in RunInfo.backend). */
  readonly backend: string;
}

export interface SweepRunOptions {
  /** Directory for the run's results files (created when missing); none written without it. */
  readonly dir?: string;
  /** Save checkpoints into `dir` when the scenario asks for them (and continue from the one there). */
  readonly checkpoints?: boolean;
  /** Sees the run's `run-started`, `census` and `progress` events, e.g. to forward progress. */
  readonly onEvent?: (event: RunEventOf<'run-started' | 'census' | 'progress'>) => void;
  /** Aborting it cancels the run, which then rejects. */
  readonly signal?: AbortSignal;
}

/**
 * Runs one derived scenario of a sweep. It depends on the scenario (and the registry's plugins)
 * alone — not on the sweep, the source file or other runs — so it can run in any process that
 * has the same plugins.
 */
export async function executeSweepRun(scenario: ResolvedScenario, registry: PluginRegistry, options: SweepRunOptions = {}): Promise<SweepRunOutcome> {
  const { signal, dir, onEvent, checkpoints } = options;
  if (signal?.aborted) throw signal.reason;
  const run = new Run(scenario, registry);
  let meanLoss: number | undefined;
  // what ran the numerics, as run-started says (the scenario may leave the backend to its network's default)
  let backend = '';
  run.select('run-started', 'census', 'progress').subscribe((event) => {
    if (event.kind === 'run-started') backend = event.info.backend;
    if (event.kind === 'census') meanLoss = event.meanLoss;
    onEvent?.(event);
  });
  const cancel = () => run.cancel(signal?.reason instanceof Error ? signal.reason.message : String(signal?.reason));
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    // No figures per run: drawing them costs more than a small run itself; the sweep's figures are
    // drawn once, and `srnn plot <sweep dir>` draws the runs' too.
    if (dir) mkdirSync(dir, { recursive: true });
    const result = dir ? await writeRunFiles(run, dir, registry.sinks, checkpoints ? registry : undefined) : await run.execute();
    return { census: result.census, populationSize: scenario.population.size, meanLoss, elapsedMs: result.elapsedMs, backend };
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
