import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Srnn } from '@srnn/runner';
import { tfjsBackendModule } from '@srnn/backend-tfjs';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import recurrentModule from './recurrent-module';

/** Only what these runs need: the network type, the two experiments and the tfjs backend. */
const MODULES = [recurrentModule, selfTrainModule, selfApplicationModule, tfjsBackendModule];

/**
 * Seeded runs pinned to the numbers this implementation produced when its kernels had been checked
 * against hand computation, a float64 reference and finite differences (the other tests here): a
 * refactor that changes the numbers cannot pass silently. Population of 2 drawn with seed 1.
 */
const GOLDEN = (JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'recurrent-golden.json'), 'utf8')) as { cases: GoldenRun[] }).cases;

interface GoldenRun {
  readonly name: string;
  /** The `architecture:` and `experiment:` of the scenario, as YAML flow mappings. */
  readonly architecture: string;
  readonly experiment: string;
  /** The population's weights after the run. */
  readonly weights: readonly number[];
}

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: MODULES });
});

describe('recurrent golden runs (seed 1, 2 networks)', () => {
  for (const c of GOLDEN) {
    for (const [backend, tolerance] of [
      ['js', 1e-6],
      ['tfjs', 1e-5],
    ] as const) {
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
