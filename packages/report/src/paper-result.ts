import type { LoadedScenario, ResolvedScenario } from '@srnn/core';
import type { SweepPlan, SweepResult, SweepRunOutcome } from '@srnn/runner';

/** One experiment of the paper as planned: a scenario file and the runs it asks for. */
export interface PaperExperiment {
  readonly name: string;
  readonly file: string;
  readonly loaded: LoadedScenario;
  /** The runs, `quick:` overrides applied when asked for. */
  readonly plan: SweepPlan;
  /** False for a single run (one combination, one replicate): its results directory is a run's. */
  readonly sweep: boolean;
  /** Whether quick overrides were applied: `none` when asked for but the scenario has none. */
  readonly quick: 'applied' | 'none' | 'off';
}

/** An experiment as executed. */
export interface ExperimentResult {
  readonly experiment: PaperExperiment;
  /** The scenario the runs derive from (for a single run: the run's). */
  readonly scenario: ResolvedScenario;
  /** The sweep's result (a sweep), or the single run's outcome. */
  readonly sweep?: SweepResult;
  readonly run?: SweepRunOutcome;
  /** Figure files written into the experiment's directory (base names). */
  readonly figures: readonly string[];
  /** From its first run's start to its figures' end, and the runs' own times summed. */
  readonly wallMs: number;
  readonly computeMs: number;
}

export interface PaperResult {
  readonly out: string;
  readonly quick: boolean;
  readonly workers: number;
  readonly experiments: readonly ExperimentResult[];
  readonly wallMs: number;
}
