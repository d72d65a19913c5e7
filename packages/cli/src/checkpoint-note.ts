import type { PluginRegistry, ResolvedScenario } from '@srnn/core';

/** What `validate` and `run` say about a scenario's `checkpoint:`: its unit, or that its experiment has none. */
export function checkpointNote(scenario: ResolvedScenario, registry: PluginRegistry, sweep = false): string | undefined {
  const every = scenario.checkpoint?.every;
  if (every === undefined) return undefined;
  const unit = registry.experiment(scenario.experiment.type).checkpointUnit;
  if (unit === undefined && sweep) {
    return `warning: experiment ${scenario.experiment.type} does not support checkpoints: an interrupted sweep keeps its finished runs, its unfinished runs start again on resume`;
  }
  if (unit === undefined) return `warning: experiment ${scenario.experiment.type} does not support checkpoints: checkpoint is ignored, the run cannot be resumed`;
  return `checkpoint every ${every} ${unit}`;
}

/** What `run --queue` says about a sweep's `checkpoint:`: the queue's runs do not resume. */
export const QUEUE_CHECKPOINT_WARNING =
  'warning: --queue: a sweep on a queue does not checkpoint: checkpoint is ignored, an interrupted sweep cannot be resumed (submitting it again picks up the runs the queue finished)';
