import type { MessagePort } from 'node:worker_threads';
import type { ResolvedScenario, RunEvent, RunResult } from '@srnn/core';
import type { PluginModuleRef } from '../plugin-loader';
import type { SweepRunOutcome } from './execute-run';
import type { PostedError } from './posted-error';

/* What a pool (worker-pool.ts) and its worker threads (run-worker.ts) tell each other. */

/** What a pool gives each of its workers: the plugin modules to load as it starts. */
export interface WorkerData {
  readonly plugins: readonly PluginModuleRef[];
}

/** One run of a batch. */
export interface BatchRun {
  readonly scenario: ResolvedScenario;
  /** The scenario's own plugin modules, as the main thread allowed and loaded them. */
  readonly plugins: readonly PluginModuleRef[];
  readonly dir?: string;
  /** Save checkpoints into `dir` when the scenario asks (RunTaskOptions.checkpoints). */
  readonly checkpoints?: boolean;
}

/**
 * Runs for a worker, executed one after another: small runs go in batches, so that a worker
 * starts its next run without waiting for the caller to hand it over.
 */
export interface RunsTask {
  readonly kind: 'runs';
  readonly runs: readonly BatchRun[];
  /** The plugin modules of the pool (a prestarted thread loads them with its first task). */
  readonly plugins: readonly PluginModuleRef[];
  /** Messages to the caller (WorkerMessage) and from it (CancelMessage). */
  readonly port: MessagePort;
}

/** Drawing one figure (`figureJobs(scenario)[index]`) of a results directory written by earlier tasks. */
export interface FigureTask {
  readonly kind: 'figure';
  readonly scenario: ResolvedScenario;
  /** The pool's plugins and the scenario's own modules the main thread allowed (and loaded itself). */
  readonly plugins: readonly PluginModuleRef[];
  readonly dir: string;
  readonly index: number;
}

/**
 * A run of its own (not of a sweep): its results files and figures written into `dir` as
 * `writeRunResults` writes them in-process. Its run-started, census and progress events go back
 * on `port` (RunTaskMessage), a cancel comes on it (CancelMessage, index 0).
 */
export interface RunTask {
  readonly kind: 'run';
  readonly scenario: ResolvedScenario;
  readonly dir: string;
  readonly plugins: readonly PluginModuleRef[];
  readonly port: MessagePort;
}

/** What a run task ends with. */
export type RunTaskOutcome = { readonly result: RunResult } | { readonly error: PostedError };

/** A run task's events (census and progress at most every PROGRESS_EVERY_MS, and the last ones). */
export type RunTaskMessage =
  | { readonly kind: 'event'; readonly event: RunEvent }
  /** A figure that failed; the run's results stand (the caller reports it as a warning). */
  | { readonly kind: 'figure-failed'; readonly figure: string; readonly dir: string; readonly message: string };

/** Loads the pool's plugin modules, so that a thread started while others work takes no task before it is ready. */
export interface ReadyTask {
  readonly kind: 'ready';
  readonly plugins: readonly PluginModuleRef[];
}

export type WorkerTask = RunsTask | FigureTask | RunTask | ReadyTask;

/** What a worker tells about run `index` of its batch. */
export type WorkerMessage =
  | { readonly kind: 'started'; readonly index: number }
  | { readonly kind: 'progress'; readonly index: number; readonly done: number; readonly total: number }
  | { readonly kind: 'finished'; readonly index: number; readonly outcome: SweepRunOutcome }
  | { readonly kind: 'failed'; readonly index: number; readonly error: PostedError };

/** Cancels run `index` of a batch (queued or running). */
export interface CancelMessage {
  readonly kind: 'cancel';
  readonly index: number;
  readonly reason: string;
}
