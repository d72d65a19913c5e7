import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeGoldenTrajectories, type GoldenTrajectories, backendKernels, registryOf } from '@srnn/testing';
import { AggregatingNetwork } from './aggregating-network';
import aggregatingModule from './aggregating-module';

/** Computed with numpy by scripts/golden.py, independently of this code. */
const golden = JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'aggregating-golden.json'), 'utf8')) as { init: number[]; average: GoldenTrajectories; max: GoldenTrajectories };
const registry = registryOf(aggregatingModule);
const backends = [[backendKernels<AggregatingNetwork>(registry, 'aggregating', 'js'), 1e-6]] as const;

for (const aggregator of ['average', 'max'] as const) {
  describeGoldenTrajectories({
    title: `aggregating (${aggregator}) follows numpy’s golden trajectories`,
    network: new AggregatingNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', aggregates: 4, aggregator, shuffle: 'none' }),
    golden: { ...golden[aggregator], init: golden.init },
    training: { lr: 0.04, momentum: 0.9 },
    backends,
  });
}
