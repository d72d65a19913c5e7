import type { z } from 'zod';
import type { Census } from './classification';
import type { NetworkKernels, NetworkShape, WeightBatch } from './network';
import type { Population } from './population';
import type { RandomStreams } from './random';
import type { ResolvedScenario } from './scenario/schema';
import type { RunEvent, RunEventKind } from './events';
import type { CheckContext, ScenarioIssue } from './scenario-issue';
import type { CheckpointState } from './checkpoint';

/** What an experiment gets to work with; the run owns all of it. */
export interface ExperimentContext {
  readonly scenario: ResolvedScenario;
  readonly population: Population;
  readonly network: NetworkShape;
  readonly kernels: NetworkKernels;
  readonly random: RandomStreams;
  /** Class codes (indices into PARTICLE_CLASSES) of a batch of networks, without emitting anything. */
  classify(batch: WeightBatch, out?: Uint8Array): Uint8Array;
  /** Classifies every particle, emits `census` (and `classified` when somebody wants it), returns the counts. */
  census(step: number, extra?: { meanLoss?: number }): Census;
  /** Reports progress; yields to the event loop now and then and throws if the run was aborted. */
  progress(done: number, total: number): Promise<void>;
  /** Emits an event of any kind, a plugin's own kinds included (see RunEventMap). */
  emit(event: RunEvent): void;
  /**
   * True when somebody asked for events of `kind` (a subscriber, or a sink that declared it):
   * detail (e.g. a soup's `interactions` records, weight snapshots) is recorded only then.
   */
  wants(kind: RunEventKind): boolean;
  /** In a run continued from a checkpoint: the state the experiment saved there (see `checkpoint`); else undefined. */
  readonly restored?: CheckpointState;
  /**
   * A checkpointable experiment calls this after each unit of its `checkpointUnit`, `cursor` units
   * done: when a checkpoint is due, `state()` is saved with the run's population and random streams.
   */
  checkpoint(cursor: number, state: () => CheckpointState): void | Promise<void>;
}

/**
 * Extension point: an experiment scenarios name with `experiment: { type: … }`. Its options are
 * the scenario's `experiment:` entry without `type`, parsed by `optionsSchema` (defaults filled).
 */
export const Experiment = Symbol('Experiment');
export interface Experiment<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  readonly description: string;
  /** The experiment's slice of the scenario schema (every key but `type`), with defaults. */
  readonly optionsSchema: S;
  /** Total units of work reported through `progress` (e.g. steps), for progress display. */
  totalWork(options: z.output<S>, populationSize: number): number;
  /**
   * Optional: what would stop a run of these options before its first step and that the options
   * schema cannot see — sizes that depend on the population or the network, files the options
   * name, … — as issues at scenario key paths (e.g. ['population', 'size']); none when the run can
   * start. srnn calls it for every run of a scenario when it loads it (so `srnn validate` reports
   * the same) and again when a run starts, before the population is allocated.
   */
  check?(options: z.output<S>, context: CheckContext): readonly ScenarioIssue[];
  /**
   * Optional: the unit `checkpoint: { every }` counts (e.g. 'epochs'). An experiment that has it
   * calls `context.checkpoint` after each unit and continues from `context.restored`; one without
   * it runs without checkpoints.
   */
  readonly checkpointUnit?: string;
  /** Runs to completion; the run takes a final census afterwards. */
  run(context: ExperimentContext, options: z.output<S>): Promise<void>;
}
