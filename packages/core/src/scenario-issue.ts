import type { ParticleClass } from './classification';
import type { NetworkShape } from './network';
import type { KeyPath } from './scenario/scenario-source';
import type { ResolvedScenario } from './scenario/schema';

/**
 * A problem of a scenario that its schema cannot see (it depends on the built network, on other
 * keys or on a file), at the key path it concerns. srnn locates it in the scenario file
 * (`file:line:col: <path>: <message>`); `srnn validate` reports it, and no run starts with it.
 */
export interface ScenarioIssue {
  readonly path: KeyPath;
  readonly message: string;
}

/** What a plugin's load-time check sees: the resolved scenario (one run of it) and its network. */
export interface CheckContext {
  readonly scenario: ResolvedScenario;
  readonly network: NetworkShape;
  /** The class of one network's weights under the scenario's `classify`, computed with the js kernels. */
  classify(weights: Float32Array): ParticleClass;
}

/** The text srnn shows for an issue, after its location: `population.size: …`. */
export function issueDetail(issue: ScenarioIssue): string {
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
