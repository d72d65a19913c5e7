import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { recurrentModule } from '@srnn/recurrent';
import { Srnn } from '@srnn/runner';
import { selfApplicationModule } from '@srnn/self-application';
import { selfTrainModule } from '@srnn/self-train';
import { describeGoldenRuns, type GoldenRun } from '@srnn/testing';
import tfjsBackendModule from '../tfjs-backend-module';

/** Only what these runs need: the network type, the two experiments and the tfjs backend. */
const MODULES = [recurrentModule, selfTrainModule, selfApplicationModule, tfjsBackendModule];

/** The recurrent package's golden runs (pinned on js after its kernels were checked by hand, against a float64 reference and finite differences). */
const GOLDEN = (JSON.parse(readFileSync(join(dirname(require.resolve('@srnn/recurrent/package.json')), 'golden', 'recurrent-golden.json'), 'utf8')) as { cases: GoldenRun[] }).cases;

describeGoldenRuns({ title: 'recurrent golden runs (seed 1, 2 networks)', modules: MODULES, cases: GOLDEN, backends: [['tfjs', 1e-5]] });

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: MODULES });
});

async function run(yaml: string, overrides: { backend: string }) {
  return { result: await srnn.createRun(await srnn.loadScenarioText(yaml, 'recurrent.yaml'), overrides).execute() };
}

describe('recurrent networks in scenarios', () => {
  it('runs the same on js and tfjs within float32 tolerance (self-train with momentum, then self-application)', async () => {
    for (const experiment of ['{ type: self-train, steps: 20, lr: 0.01, momentum: 0.9 }', '{ type: self-application, steps: 5 }']) {
      const yaml = `seed: 6
architecture: { type: recurrent, activation: tanh, bias: true }
population: { size: 6 }
experiment: ${experiment}
classify: { epsilon: 1.0e-12 }
`;
      const [a, b] = [(await run(yaml, { backend: 'js' })).result, (await run(yaml, { backend: 'tfjs' })).result];
      a.population.weights.forEach((v, i) => {
        const w = b.population.weights[i];
        assert.ok(Math.abs(v - w) <= 1e-5 * Math.max(1, Math.abs(v)), `${experiment}: weight ${i}: js ${v} vs tfjs ${w}`);
      });
    }
  });
});
