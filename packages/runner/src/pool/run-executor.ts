import { Run, type RunEvent, type PluginRegistry, type ResolvedScenario, type RunResult } from '@srnn/core';
import { renderFigures, type FigureFailureHandler } from '../results/render-figures';
import { writeRunResults } from '../results/results-directory';
import { executeSweepRun, type SweepRunOutcome } from './execute-run';

/** What the caller of one run gets to see and do while it runs. */
export interface RunTaskOptions {
  /** Directory for the run's results files (created when missing); none written without it. */
  readonly dir?: string;
  /**
   * Save checkpoints into `dir` when the scenario asks for them and its experiment has them (a
   * sweep that can be resumed); only an executor with `checkpoints` does.
   */
  readonly checkpoints?: boolean;
  /** Aborting it cancels the run (queued or running), which then rejects with the abort reason. */
  readonly signal?: AbortSignal;
  /** Called once the run has left the queue and begins. */
  readonly onStarted?: () => void;
  /** The run's progress (its `progress` events; from a worker, at most every 100 ms and at the end). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RenderFiguresOptions {
  readonly signal?: AbortSignal;
  readonly onFailure?: FigureFailureHandler;
}

/** What the caller of a run of its own (`executeRun`) gets to see and do while it runs. */
export interface RunOptions {
  /** Aborting it cancels the run (queued or running), which then rejects with the abort reason. */
  readonly signal?: AbortSignal;
  /** Its run-started, census and progress events (from a worker: census and progress at most every 100 ms, and the last ones). */
  readonly onEvent?: (event: RunEvent) => void;
  /** Told of each figure that failed (the results stand); without it a failing figure fails the run. */
  readonly onFigureFailure?: FigureFailureHandler;
}

/**
 * Executes independent runs — derived scenarios, each depending on its scenario and the plugins
 * alone — in this process or in a pool of worker threads. Results do not depend on which executor
 * ran them: a run's seed is part of its scenario.
 */
export interface RunExecutor {
  /** How many runs execute at the same time. */
  readonly workers: number;
  /** True when its runs save checkpoints into their directories (`RunTaskOptions.checkpoints`), so that a sweep it executes can be resumed. */
  readonly checkpoints?: boolean;
  /** Queues a run; resolves with its outcome once it has finished (its files written into `dir`). */
  execute(scenario: ResolvedScenario, options?: RunTaskOptions): Promise<SweepRunOutcome>;
  /**
   * Draws the figures of a results directory (as `renderFigures`), ahead of the queued runs (they
   * are the last step of something that is otherwise done); resolves with the files written.
   * With `onFailure`, a figure that fails is reported there instead of rejecting.
   */
  renderFigures(dir: string, scenario: ResolvedScenario, options?: RenderFiguresOptions): Promise<string[]>;
  /**
   * Executes a run of its own (not of a sweep): its results files and figures are written into
   * `dir` as `writeRunResults` writes them; resolves with its result.
   */
  executeRun(scenario: ResolvedScenario, dir: string, options?: RunOptions): Promise<RunResult>;
  /** Stops the workers (once every run has settled; a pool of threads stops them at once whatever they do). */
  close(): Promise<void>;
}

/** Runs one after another in this process, with this process's registry (`--workers 1`). */
export class InProcessExecutor implements RunExecutor {
  readonly workers = 1;
  readonly checkpoints = true;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly registry: PluginRegistry) {}

  execute(scenario: ResolvedScenario, options: RunTaskOptions = {}): Promise<SweepRunOutcome> {
    const run = async () => {
      // a turn of the event loop between runs, so that a signal handler (Ctrl-C) can cancel a series of short runs
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw options.signal.reason;
      options.onStarted?.();
      const onEvent = options.onProgress && ((event: RunEvent) => event.kind === 'progress' && options.onProgress!(event.done, event.total));
      return executeSweepRun(scenario, this.registry, { dir: options.dir, checkpoints: options.checkpoints, signal: options.signal, onEvent });
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async renderFigures(dir: string, scenario: ResolvedScenario, options: RenderFiguresOptions = {}): Promise<string[]> {
    if (options.signal?.aborted) throw options.signal.reason;
    return renderFigures(dir, scenario, this.registry, options.onFailure);
  }

  executeRun(scenario: ResolvedScenario, dir: string, options: RunOptions = {}): Promise<RunResult> {
    const { signal, onEvent, onFigureFailure } = options;
    const run = async () => {
      if (signal?.aborted) throw signal.reason;
      const inner = new Run(scenario, this.registry);
      if (onEvent) inner.select('run-started', 'census', 'progress').subscribe(onEvent);
      const cancel = () => inner.cancel(signal?.reason instanceof Error ? signal.reason.message : String(signal?.reason));
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        return await writeRunResults(inner, dir, this.registry.sinks, this.registry, onFigureFailure);
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {}
}
