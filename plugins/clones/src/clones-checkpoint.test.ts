import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { RunEventOf } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { checkpointRoundTrip } from '@srnn/testing';
import { weightwiseModule } from '@srnn/weightwise';
import clonesModule from './clones-module';

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, clonesModule] });
});

describe('clones checkpoints: a run resumed from any checkpoint emits what an uninterrupted run does', () => {
  it('before and after the spawn: momentum of parents and clones, the spawn records, the trajectories so far', async () => {
    const yaml = `seed: 3
architecture: { type: weightwise }
population: { size: 6 }
experiment: { type: clones, parentSteps: 200, steps: 60, lr: 0.2, momentum: 0.5, clones: 2, levels: [1.0e-2, 1.0e-5], snapshotEvery: 15 }
`;
    const { saved, resumed, events } = await checkpointRoundTrip(srnn, yaml, 20);
    const clones = events.find((e): e is RunEventOf<'analysis-table'> => e.kind === 'analysis-table' && e.table.name === 'clones');
    assert.ok(clones && clones.table.rows.length >= 4, 'fixpoint parents were cloned');
    assert.ok(
      events.some((e) => e.kind === 'analysis-trajectories'),
      'trajectories were recorded',
    );
    assert.ok(resumed.some((c) => c < 200) && resumed.some((c) => c > 200 && c < 260), `resumed at ${resumed} of ${saved}`);
  });
});
