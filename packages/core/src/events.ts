import { filter, type OperatorFunction } from 'rxjs';
import type { Census } from './classification';
import type { ResolvedScenario } from './scenario/schema';

/** The state of a population at one moment, as typed arrays (copies, safe to keep). */
export interface PopulationSnapshot {
  readonly step: number;
  readonly weightCount: number;
  readonly weights: Float32Array;
  readonly uids: Float64Array;
  readonly parentUids: Float64Array;
  readonly birthSteps: Float64Array;
  /** Class codes, indices into PARTICLE_CLASSES. */
  readonly classes: Uint8Array;
}

export interface RunInfo {
  readonly scenario: ResolvedScenario;
  readonly srnnVersion: string;
  /** What ran the numerics, e.g. "js" or "tfjs 4.22.0 (wasm)". */
  readonly backend: string;
  readonly weightCount: number;
  readonly totalWork: number;
}

/**
 * Every kind of event a run reports → what the event carries besides `kind`. Plugins add their
 * own kinds by declaration merging, e.g. the soup:
 *
 * ```ts
 * declare module '@srnn/core' {
 *   interface RunEventMap { interactions: InteractionsEvent }
 * }
 * ```
 *
 * and emit them with `context.emit({ kind: 'interactions', … })`, typed, no casts.
 */
export interface RunEventMap {
  'run-started': { readonly info: RunInfo };
  progress: { readonly done: number; readonly total: number };
  census: { readonly step: number; readonly census: Census; readonly meanLoss?: number };
  /** Detail: one event per census with every particle's class; produced only when somebody asked for it. */
  classified: { readonly step: number; readonly uids: Float64Array; readonly classes: Uint8Array };
  /** `stopped`: the run was ended early (`Run.stop()`) after `done` of its `total` work. */
  'run-finished': { readonly census: Census; readonly elapsedMs: number; readonly population: PopulationSnapshot; readonly stopped?: { readonly done: number; readonly total: number } };
  'run-failed': { readonly error: Error };
}

export type RunEventKind = Extract<keyof RunEventMap, string>;

/** Everything a run reports, as one discriminated union on `kind` (the plugins' kinds included). */
export type RunEvent = { [K in RunEventKind]: { readonly kind: K } & RunEventMap[K] }[RunEventKind];

/** The event of kind `K` (of any of the kinds, for a union). */
export type RunEventOf<K extends RunEventKind> = Extract<RunEvent, { readonly kind: K }>;

/**
 * What a subscriber reads: some kinds, or `all` of them. Detail events (`classified`, a soup's
 * `interactions` and `snapshot`, trajectories) are produced only for kinds somebody asked for.
 */
export type RunEventKinds = readonly RunEventKind[] | 'all';

/** An rxjs operator keeping the events of the given kinds, typed: `events$.pipe(ofKind('census', 'run-finished'))`. */
export function ofKind<K extends RunEventKind>(...kinds: readonly K[]): OperatorFunction<RunEvent, RunEventOf<K>> {
  const wanted: readonly string[] = kinds;
  return filter((event: RunEvent): event is RunEventOf<K> => wanted.includes(event.kind));
}
