import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AggregatingNetwork, aggregatingModule } from '@srnn/aggregating';
import { describeGoldenTrajectories, type GoldenTrajectories, backendKernels, registryOf } from '@srnn/testing';
import tfjsBackendModule from '../tfjs-backend-module';

/** Computed with numpy by the aggregating package's scripts/golden.py, independently of this code. */
const golden = JSON.parse(readFileSync(join(dirname(require.resolve('@srnn/aggregating/package.json')), 'golden', 'aggregating-golden.json'), 'utf8')) as {
  init: number[];
  average: GoldenTrajectories;
  max: GoldenTrajectories;
};
const tfjs = [backendKernels<AggregatingNetwork>(registryOf(aggregatingModule, tfjsBackendModule), 'aggregating', 'tfjs'), 1e-5] as const;

for (const aggregator of ['average', 'max'] as const) {
  describeGoldenTrajectories({
    title: `aggregating (${aggregator}) follows numpy’s golden trajectories`,
    network: new AggregatingNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', aggregates: 4, aggregator, shuffle: 'none' }),
    golden: { ...golden[aggregator], init: golden.init },
    training: { lr: 0.04, momentum: 0.9 },
    backends: [tfjs],
  });
}
