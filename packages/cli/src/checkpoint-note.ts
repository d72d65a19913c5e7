import type { PluginRegistry, ResolvedScenario } from '@srnn/core';

/** What `validate` and `run` say about a scenario's `checkpoint:`: its unit, or that its experiment has none. */
export function checkpointNote(scenario: ResolvedScenario, registry: PluginRegistry, sweep = false): string | undefined {
  const every = scenario.checkpoint?.every;
  if (every === undefined) return undefined;
  if (sweep) return 'warning: sweeps do not checkpoint yet: checkpoint is ignored, an interrupted sweep cannot be resumed';
  const unit = registry.experiment(scenario.experiment.type).checkpointUnit;
  if (unit === undefined) return `warning: experiment ${scenario.experiment.type} does not support checkpoints: checkpoint is ignored, the run cannot be resumed`;
  return `checkpoint every ${every} ${unit}`;
}
