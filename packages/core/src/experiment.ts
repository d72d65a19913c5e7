import type { z } from 'zod';
import type { Census } from './classification';
import type { NetworkKernels, NetworkShape, WeightBatch } from './network';
import type { Population } from './population';
import type { RandomStreams } from './random';
import type { ResolvedScenario } from './scenario/schema';
import type { RunEvent } from './events';

/** What an experiment gets to work with; the run owns all of it. */
export interface ExperimentContext {
  readonly scenario: ResolvedScenario;
  readonly population: Population;
  readonly network: NetworkShape;
  readonly kernels: NetworkKernels;
  readonly random: RandomStreams;
  /** Class codes (indices into PARTICLE_CLASSES) of a batch of networks, without emitting anything. */
  classify(batch: WeightBatch, out?: Uint8Array): Uint8Array;
  /** Classifies every particle, emits `census` (and `classified` when observed), returns the counts. */
  census(step: number, extra?: { meanLoss?: number }): Census;
  /** Reports progress; yields to the event loop now and then and throws if the run was aborted. */
  progress(done: number, total: number): Promise<void>;
  emit(event: RunEvent): void;
  /** True when somebody subscribes to the run's events (detail can be skipped otherwise). */
  readonly observed: boolean;
}

/** Extension point: an experiment scenarios name with `experiment: { type: … }`. */
export const Experiment = Symbol('Experiment');
export interface Experiment {
  readonly type: string;
  readonly description: string;
  readonly optionsSchema: z.ZodObject;
  /** Total units of work reported through `progress` (e.g. steps), for progress display. */
  totalWork(options: Record<string, unknown>, populationSize: number): number;
  /** Runs to completion; the run takes a final census afterwards. */
  run(context: ExperimentContext, options: Record<string, unknown>): Promise<void>;
}
