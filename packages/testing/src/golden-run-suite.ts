import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ContainerModule } from 'inversify';
import { Srnn } from '@srnn/runner';

/** One seeded run (seed 1, 2 networks) pinned to the weights it ended with. */
export interface GoldenRun {
  readonly name: string;
  /** The `architecture:` and `experiment:` of the scenario, as YAML flow mappings. */
  readonly architecture: string;
  readonly experiment: string;
  /** The population's weights after the run. */
  readonly weights: readonly number[];
}

export interface GoldenRunSuite {
  /** The test group's title. */
  readonly title: string;
  /** The plugin modules the runs need (nothing installed is discovered). */
  readonly modules: readonly ContainerModule[];
  readonly cases: readonly GoldenRun[];
  /** Each backend with its relative tolerance (relative to max(1, |expected|)). */
  readonly backends: readonly (readonly [string, number])[];
}

/** Every golden run, on every backend given, ends with its pinned weights. */
export function describeGoldenRuns({ title, modules, cases, backends }: GoldenRunSuite): void {
  let srnn: Srnn;
  before(async () => {
    srnn = await Srnn.create({ discover: false, modules });
  });

  describe(title, () => {
    for (const c of cases) {
      for (const [backend, tolerance] of backends) {
        it(`${c.name} (${backend})`, async () => {
          const yaml = `seed: 1
architecture: ${c.architecture}
population: { size: 2 }
experiment: ${c.experiment}
classify: { epsilon: 1.0e-12 }
`;
          const result = await srnn.createRun(await srnn.loadScenarioText(yaml, 'golden.yaml'), { backend }).execute();
          const weights = result.population.weights;
          assert.equal(weights.length, c.weights.length);
          c.weights.forEach((v, i) => assert.ok(Math.abs(weights[i] - v) <= tolerance * Math.max(1, Math.abs(v)), `weight ${i}: ${weights[i]} vs ${v}`));
        });
      }
    }
  });
}
