import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { ContainerModule } from 'inversify';
import type { RunEvent, RunEventOf, RunResult } from '@srnn/core';
import { Srnn } from '@srnn/runner';

export interface ArchitectureScenarioSuite {
  /** The architecture type under test (`architecture: { type }`). */
  readonly type: string;
  /**
   * The plugin modules the runs need, and only those (nothing installed is discovered): the network
   * type's, the self-train and self-application experiments' and each backend's but js.
   */
  readonly modules: readonly ContainerModule[];
  /**
   * Options (a YAML flow mapping's inside) for the runs comparing js with each other backend, e.g.
   * `activation: tanh, bias: true` (default: the defaults); they run only when `backends` has js.
   */
  readonly agreement?: string;
  /** Option sets for the reproducible self-application runs (default: the defaults only). */
  readonly selfApplication?: readonly string[];
  /** Backends the end-to-end self-training runs on, and that are compared with js (default: js and tfjs; ['js'] for a js-only type). */
  readonly backends?: readonly string[];
}

/** Runs scenario text with the given modules, collecting the events. */
interface ScenarioRunner {
  readonly type: string;
  readonly agreement: string;
  run(yaml: string, backend?: string): Promise<{ result: RunResult; events: RunEvent[] }>;
}

function scenarioRunner(type: string, modules: readonly ContainerModule[], agreement: string): ScenarioRunner {
  let srnn: Srnn;
  before(async () => {
    srnn = await Srnn.create({ discover: false, modules });
  });
  return {
    type,
    agreement,
    async run(yaml, backend) {
      const created = srnn.createRun(await srnn.loadScenarioText(yaml, `${type}.yaml`), backend ? { backend } : {});
      const events: RunEvent[] = [];
      created.events$.subscribe((e) => events.push(e));
      return { result: await created.execute(), events };
    },
  };
}

const architectureLine = (type: string, options: string) => `architecture: { type: ${type}${options ? `, ${options}` : ''} }`;
const total = (result: RunResult) => Object.values(result.census).reduce((a, b) => a + b, 0);

function selfTrains({ type, run }: ScenarioRunner, backend: string): void {
  it(`self-trains a seeded population end to end; every net ends classified and the loss falls (${backend})`, async () => {
    const yaml = ['seed: 1', architectureLine(type, ''), 'population: { size: 20 }', 'experiment: { type: self-train, steps: 200, lr: 0.04, momentum: 0.5, censusEvery: 100 }', ''].join('\n');
    const { result, events } = await run(yaml, backend);
    assert.equal(total(result), 20);
    const censuses = events.filter((e): e is RunEventOf<'census'> => e.kind === 'census');
    assert.deepEqual(
      censuses.map((e) => e.step),
      [0, 100, 200],
    );
    const losses = censuses.slice(1).map((e) => e.meanLoss!);
    assert.ok(losses[1] < losses[0], `the mean loss falls: ${losses}`);
  });
}

export interface BackendScenarioSuite {
  /** The architecture type under test. */
  readonly type: string;
  /** The plugin modules the runs need: the network type's, the self-train and self-application experiments' and the backend's. */
  readonly modules: readonly ContainerModule[];
  /** The backend compared with js. */
  readonly backend: string;
  /** Options for the comparison runs, as in {@link ArchitectureScenarioSuite.agreement}. */
  readonly agreement?: string;
}

/**
 * What a backend other than js does for a network type from a scenario file (the backend package
 * calls it): self-trains end to end with falling loss, and reaches js's census and weights. Call it inside a `describe`.
 */
export function describeBackendScenarios({ type, modules, backend, agreement = '' }: BackendScenarioSuite): void {
  backendScenarios(scenarioRunner(type, modules, agreement), backend);
}

function backendScenarios(runner: ScenarioRunner, backend: string): void {
  const { type, agreement, run } = runner;
  selfTrains(runner, backend);
  it(`js and ${backend} reach the same census and weights within float32 tolerance (${agreement || 'defaults'})`, async () => {
    const yaml = ['seed: 4', architectureLine(type, agreement), 'population: { size: 10 }', 'experiment: { type: self-train, steps: 50, lr: 0.04 }', ''].join('\n');
    const [a, b] = [(await run(yaml, 'js')).result, (await run(yaml, backend)).result];
    assert.deepEqual(a.census, b.census);
    a.population.weights.forEach((v, i) => assert.ok(Math.abs(v - b.population.weights[i]) <= 1e-4, `weight ${i}: ${v} vs ${b.population.weights[i]}`));
  });
}

/**
 * What every network type does from a scenario file, with the plugin modules given:
 * self-trains a seeded population end to end with falling loss on each backend, reaches the same
 * census and weights on js and every other backend, and self-applies reproducibly. Call it inside a `describe`.
 */
export function describeArchitectureScenarios({ type, modules, agreement = '', selfApplication = [''], backends = ['js', 'tfjs'] }: ArchitectureScenarioSuite): void {
  const runner = scenarioRunner(type, modules, agreement);
  const { run } = runner;
  for (const backend of backends) {
    if (backend === 'js' || !backends.includes('js')) selfTrains(runner, backend);
    else backendScenarios(runner, backend);
  }

  for (const options of selfApplication) {
    it(`self-applies a seeded population end to end, reproducibly${options ? ` (${options})` : ''}`, async () => {
      const yaml = ['seed: 2', architectureLine(type, options), 'population: { size: 20 }', 'experiment: { type: self-application, steps: 100 }', ''].join('\n');
      const first = (await run(yaml)).result;
      const again = (await run(yaml)).result;
      assert.equal(total(first), 20);
      assert.deepEqual(again.population.weights, first.population.weights);
      assert.deepEqual(again.census, first.census);
    });
  }
}
