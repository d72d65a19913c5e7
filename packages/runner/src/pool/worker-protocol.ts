import type { MessagePort } from 'node:worker_threads';
import type { PluginModuleRef, ResolvedScenario } from '@srnn/core';
import type { SweepRunOutcome } from './execute-run';

/* What a pool (worker-pool.ts) and its worker threads (run-worker.ts) tell each other. */

/** What a pool gives each of its workers: the plugin modules to load. */
export interface WorkerData {
  readonly plugins: readonly PluginModuleRef[];
}

/** One run of a batch. */
export interface BatchRun {
  readonly scenario: ResolvedScenario;
  /** The scenario's own plugin modules, as the main thread allowed and loaded them. */
  readonly plugins: readonly PluginModuleRef[];
  readonly dir?: string;
}

/**
 * Runs for a worker, executed one after another: small runs go in batches, so that a worker
 * starts its next run without waiting for the caller to hand it over.
 */
export interface RunsTask {
  readonly kind: 'runs';
  readonly runs: readonly BatchRun[];
  /** Messages to the caller (WorkerMessage) and from it (CancelMessage). */
  readonly port: MessagePort;
}

/** Drawing one figure (`figureJobs(scenario)[index]`) of a results directory written by earlier tasks. */
export interface FigureTask {
  readonly kind: 'figure';
  readonly scenario: ResolvedScenario;
  readonly plugins: readonly PluginModuleRef[];
  readonly dir: string;
  readonly index: number;
}

export type WorkerTask = RunsTask | FigureTask;

/** What a worker tells about run `index` of its batch. */
export type WorkerMessage =
  | { readonly kind: 'started'; readonly index: number }
  | { readonly kind: 'progress'; readonly index: number; readonly done: number; readonly total: number }
  | { readonly kind: 'finished'; readonly index: number; readonly outcome: SweepRunOutcome }
  | { readonly kind: 'failed'; readonly index: number; readonly error: unknown };

/** Cancels run `index` of a batch (queued or running). */
export interface CancelMessage {
  readonly kind: 'cancel';
  readonly index: number;
  readonly reason: string;
}
