import type { z } from 'zod';
import type { Census } from './classification';
import type { NetworkKernels, NetworkShape, WeightBatch } from './network';
import type { Population } from './population';
import type { RandomStreams } from './random';
import type { ResolvedScenario } from './scenario/schema';
import type { RunEvent } from './events';
import type { CheckContext, ScenarioIssue } from './scenario-issue';

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
  /**
   * Optional: what would stop a run of these options before its first step and that the options
   * schema cannot see — sizes that depend on the population or the network, files the options
   * name, … — as issues at scenario key paths (e.g. ['population', 'size']); none when the run can
   * start. srnn calls it for every run of a scenario when it loads it (so `srnn validate` reports
   * the same) and again when a run starts, before the population is allocated.
   */
  check?(options: Record<string, unknown>, context: CheckContext): readonly ScenarioIssue[];
  /** Runs to completion; the run takes a final census afterwards. */
  run(context: ExperimentContext, options: Record<string, unknown>): Promise<void>;
}
