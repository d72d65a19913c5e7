import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginRegistry } from '@srnn/core';
import { CHECKPOINT_DIR, CheckpointMismatchError, checkpointIdentity, incompatibility, SWEEP_RECORD_DIR, SweepRecord } from '@srnn/checkpoint';
import type { SweepRunOutcome } from '../pool/execute-run';
import { RESULTS_MARKER } from '../results/results-target';
import type { SweepPlan } from './expand-sweep';

/**
 * A sweep that can be resumed (its scenario asks for checkpoints and its executor saves them) keeps
 * in `<out>.partial/` a record of its plan and of its finished runs (`SweepRecord`, in `.sweep/`)
 * beside the runs' directories, each run with its own `.checkpoint/` while it is unfinished.
 */
export class SweepProgress {
  private readonly record: SweepRecord;
  /** Outcomes of the runs that had finished before (a resumed sweep), by run id. */
  readonly finished: ReadonlyMap<string, SweepRunOutcome>;

  constructor(
    private readonly dir: string,
    plan: SweepPlan,
    registry: PluginRegistry,
  ) {
    this.record = new SweepRecord(join(dir, SWEEP_RECORD_DIR));
    const identity = checkpointIdentity(plan.base, registry);
    const recorded = this.record.readPlan();
    if (recorded) {
      const problem = incompatibility(recorded.identity, identity);
      if (problem) throw new CheckpointMismatchError(`cannot resume ${dir}: ${problem}`);
      this.finished = this.record.finished() as Map<string, SweepRunOutcome>;
      // the sweep's tables and figures (or their temporaries) written before the interruption are written again
      for (const name of readdirSync(dir)) if (name !== RESULTS_MARKER && name !== SWEEP_RECORD_DIR && name !== 'runs') rmSync(join(dir, name), { recursive: true, force: true });
    } else {
      this.record.writePlan({ identity, plan });
      this.finished = new Map();
    }
  }

  /** Before an unfinished run starts again: what it wrote goes, unless it can continue from its checkpoint. */
  prepareRun(runDir: string): void {
    if (!existsSync(join(runDir, CHECKPOINT_DIR, 'index.json'))) rmSync(runDir, { recursive: true, force: true });
  }

  runFinished(id: string, outcome: SweepRunOutcome): void {
    this.record.writeFinished(id, outcome);
  }

  /** Once the sweep's files are all written. */
  finish(): void {
    this.record.remove();
  }
}

/** The plan recorded in a sweep's partial directory, or undefined when there is none. */
export function recordedSweepPlan(partial: string): { plan: SweepPlan; finished: number } | undefined {
  const record = new SweepRecord(join(partial, SWEEP_RECORD_DIR));
  const recorded = record.readPlan();
  return recorded && { plan: recorded.plan as SweepPlan, finished: record.finishedCount() };
}
