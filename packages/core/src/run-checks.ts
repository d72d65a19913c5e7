import type { Experiment } from './experiment';
import { floatsProblem, formatCount, MAX_WEIGHT_COUNT } from './limits';
import type { NetworkShape } from './network';
import type { ScenarioIssue } from './scenario-issue';
import type { ResolvedScenario } from './scenario/schema';

/**
 * What stops a run once its network is built, before it allocates its population: srnn's size
 * limits, then the experiment's own check. The run and the scenario's load (`srnn validate`) both
 * ask this, so the two cannot disagree.
 */
export function startIssues(scenario: ResolvedScenario, network: NetworkShape, experiment: Experiment): readonly ScenarioIssue[] {
  const W = network.weightCount;
  if (!(W <= MAX_WEIGHT_COUNT)) {
    return [{ path: ['architecture'], message: `${formatCount(W)} weights per network, more than srnn's limit of ${formatCount(MAX_WEIGHT_COUNT)} (2^24)` }];
  }
  const floats = floatsProblem(scenario.population.size, W, 'particles');
  if (floats) return [{ path: ['population', 'size'], message: floats }];
  return experiment.check?.(scenario.experiment, { scenario, network }) ?? [];
}
