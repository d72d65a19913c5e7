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

/** Everything a run reports, as one discriminated union on `kind`. */
export type RunEvent =
  | { readonly kind: 'run-started'; readonly info: RunInfo }
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'census'; readonly step: number; readonly census: Census; readonly meanLoss?: number }
  /** One event per census with every particle's class; emitted only when somebody subscribes. */
  | { readonly kind: 'classified'; readonly step: number; readonly uids: Float64Array; readonly classes: Uint8Array }
  | { readonly kind: 'run-finished'; readonly census: Census; readonly elapsedMs: number; readonly population: PopulationSnapshot }
  | { readonly kind: 'run-failed'; readonly error: Error };

export type RunEventOf<K extends RunEvent['kind']> = Extract<RunEvent, { kind: K }>;
