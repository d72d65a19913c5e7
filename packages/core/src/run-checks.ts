import type { z } from 'zod';
import { Classifier, PARTICLE_CLASSES } from './classification';
import { floatsProblem, formatCount, MAX_WEIGHT_COUNT } from './limits';
import type { NetworkKernels, NetworkShape } from './network';
import { RandomStreams } from './random';
import type { PluginRegistry } from './registry';
import { pluginOptions, PluginOptionsError } from './plugin-options';
import type { CheckContext, ScenarioIssue } from './scenario-issue';
import type { ResolvedScenario } from './scenario/schema';

/**
 * What stops a run once its network is built, before it allocates its population: kernels for its
 * (architecture, backend), srnn's size limits, then the experiment's options and its own check. The
 * run and the scenario's load (`srnn validate`) both ask this, so the two cannot disagree.
 */
export function startIssues(scenario: ResolvedScenario, network: NetworkShape, registry: PluginRegistry, parsed?: z.output<z.ZodObject>): readonly ScenarioIssue[] {
  const noKernels = registry.missingKernels(network.type, scenario.backend ?? registry.defaultBackend(network));
  if (noKernels) return [{ path: ['backend'], message: noKernels }];
  const W = network.weightCount;
  if (!(W <= MAX_WEIGHT_COUNT)) {
    return [{ path: ['architecture'], message: `${formatCount(W)} weights per network, more than srnn's limit of ${formatCount(MAX_WEIGHT_COUNT)} (2^24)` }];
  }
  const floats = floatsProblem(scenario.population.size, W, 'particles');
  if (floats) return [{ path: ['population', 'size'], message: floats }];
  const experiment = registry.experiment(scenario.experiment.type);
  let options = parsed;
  try {
    options ??= pluginOptions(experiment, scenario.experiment);
  } catch (error) {
    if (!(error instanceof PluginOptionsError)) throw error;
    return [{ path: ['experiment', ...error.path], message: error.detail }];
  }
  if (!experiment.check) return [];
  let kernels: NetworkKernels | undefined;
  const context: CheckContext = {
    scenario,
    network,
    classify: (weights) => {
      kernels ??= registry.kernelsFor(network, registry.backend('js'), new RandomStreams(scenario.seed).stream('check'));
      const code = new Classifier(kernels, W, scenario.classify).classify({ data: weights, index: Int32Array.of(0) })[0];
      return PARTICLE_CLASSES[code];
    },
  };
  try {
    return experiment.check(options, context);
  } finally {
    kernels?.dispose();
  }
}
