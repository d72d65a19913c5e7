import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { RunEventOf } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { checkpointRoundTrip } from '@srnn/testing';
import { weightwiseModule } from '@srnn/weightwise';
import interpolationModule from './interpolation-module';

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, interpolationModule] });
});

describe('interpolation checkpoints: a run resumed from any checkpoint emits what an uninterrupted run does', () => {
  it('checkpoints while the source self-trains (momentum) and while the points do (their weights, distances before, momentum)', async () => {
    const yaml = `seed: 7
architecture: { type: weightwise }
population: { size: 5 }
experiment: { type: interpolation, fixpoints: { train: { steps: 200, lr: 0.2, momentum: 0.5 } }, points: 4, steps: 60, momentum: 0.3, batch: 1 }
`;
    const { saved, resumed, events } = await checkpointRoundTrip(srnn, yaml, 20);
    const points = events.find((e): e is RunEventOf<'analysis-table'> => e.kind === 'analysis-table' && e.table.name === 'interpolation');
    assert.ok(points && points.table.rows.length >= 8, 'pairs of fixpoints were interpolated');
    assert.ok(resumed.some((c) => c < 200) && resumed.some((c) => c > 200 && c < 260), `resumed at ${resumed} of ${saved}`);
  });
});
