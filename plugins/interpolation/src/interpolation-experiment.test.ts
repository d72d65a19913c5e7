import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunEventOf } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { readTable } from '@srnn/analysis';
import { weightwiseModule } from '@srnn/weightwise';
import interpolationModule from './interpolation-module';

let srnn: Srnn;
const root = mkdtempSync(join(tmpdir(), 'srnn-interpolation-'));
let dirs = 0;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, interpolationModule] });
});
after(() => rmSync(root, { recursive: true, force: true }));

interface PointRow {
  pair: number;
  first_uid: number;
  second_uid: number;
  point: number;
  t: number;
  pair_distance: number;
  normalised_before: number;
  normalised_after: number;
  normalised_to_second_after: number;
  mae_before: number;
  mae_after: number;
  mse_before: number;
  mim_before: number;
  class: string;
}

async function runInto(yaml: string) {
  const loaded = await srnn.loadScenarioText(yaml, join(root, 'interpolation.yaml'));
  const run = srnn.createRun(loaded);
  const events: RunEvent[] = [];
  run.events$.subscribe((e) => events.push(e));
  const dir = join(root, `run-${dirs++}`);
  await srnn.runIntoDirectory(run, dir);
  return { dir, events, points: readTable<PointRow>(dir, 'interpolation')!, pairs: readTable<Record<string, number>>(dir, 'interpolation-pairs')! };
}

/** Two exact fixpoints (out-in): v = W3·W2·W1 = (1, 0, 0, 0) for both (PAPER.md §2), so training leaves them where they are. */
const A = Array.from({ length: 14 }, (_, i) => (i === 0 || i === 8 || i === 12 ? 1 : 0));
const B = Array.from({ length: 14 }, (_, i) => (i === 0 ? 2 : i === 8 ? 0.5 : i === 12 ? 1 : 0));
const C = Array.from({ length: 14 }, (_, i) => (i === 0 ? 4 : i === 8 ? 0.25 : i === 12 ? 1 : 0));
const exact = (experiment: string) =>
  ['seed: 2', 'architecture: { type: weightwise }', `population: { size: 3, init: { weights: [${[A, B, C].map((v) => JSON.stringify(v)).join(', ')}] } }`, `experiment: ${experiment}`, ''].join('\n');

describe('interpolation experiment', () => {
  it('interpolates every pair of fixpoints at t = k/points, the first included and the second not', async () => {
    const { points, pairs } = await runInto(exact('{ type: interpolation, fixpoints: population, points: 4, steps: 0 }'));
    assert.deepEqual(
      pairs.map((p) => [p.pair, p.first_uid, p.second_uid]),
      [
        [0, 0, 1],
        [1, 0, 2],
        [2, 1, 2],
      ],
    );
    assert.equal(points.length, 3 * 4);
    assert.deepEqual(
      points.slice(0, 4).map((p) => p.t),
      [0, 0.25, 0.5, 0.75],
    );
    const ab = points.filter((p) => p.pair === 0);
    assert.equal(ab[0].mae_before, 0, 'point 0 is the first fixpoint');
    assert.equal(ab[0].pair_distance, (1 + 0.5) / 14, 'MAE between A and B: |1 − 2| + |1 − 0.5| over 14');
    for (const p of points) {
      assert.ok(Math.abs(p.normalised_before - p.t) < 1e-6, 'MAE along the line grows linearly with t');
      assert.ok(Math.abs(p.normalised_after - p.normalised_before) < 1e-12, 'no training, no movement');
      assert.ok(Math.abs(p.mse_before - p.t ** 2 * points.find((q) => q.pair === p.pair && q.point === 1)!.mse_before * 16) < 1e-6, 'MSE grows with t²');
    }
  });

  it('the first endpoint, an exact fixpoint, stays put under training; a point on the way does not', async () => {
    const { points } = await runInto(exact('{ type: interpolation, fixpoints: population, points: 5, steps: 300 }'));
    const first = points.filter((p) => p.point === 0);
    for (const p of first) {
      assert.equal(p.mae_after, 0);
      assert.equal(p.class, 'fixpoint');
    }
    assert.ok(points.some((p) => p.point > 0 && p.normalised_after !== p.normalised_before));
  });

  it('limits the pairs, and takes fixpoints from a weights.json', async () => {
    const file = join(root, 'weights.json');
    writeFileSync(
      file,
      JSON.stringify({
        particles: [
          { uid: 11, class: 'fixpoint', weights: A },
          { uid: 12, class: 'other', weights: A.map(() => 0.1) },
          { uid: 13, class: 'fixpoint', weights: B },
          { uid: 14, class: 'fixpoint', weights: C },
        ],
      }),
    );
    const { pairs, points } = await runInto(exact(`{ type: interpolation, fixpoints: { file: ${JSON.stringify(file)} }, pairs: 2, points: 3, steps: 1 }`));
    assert.deepEqual(
      pairs.map((p) => [p.first_uid, p.second_uid]),
      [
        [11, 13],
        [11, 14],
      ],
    );
    assert.equal(points.length, 6);
  });

  it('trained fixpoints: points near the first move towards it, points near the second away from it', async () => {
    const { points, events, dir } = await runInto(
      ['seed: 7', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: interpolation, fixpoints: { train: { steps: 2500 } }, points: 10, steps: 1000 }', ''].join(
        '\n',
      ),
    );
    const started = events.find((e): e is RunEventOf<'run-started'> => e.kind === 'run-started')!;
    assert.equal(started.info.totalWork, 3500);
    assert.ok(points.length > 0, 'training found at least two fixpoints');
    const near = points.filter((p) => p.t > 0 && p.t <= 0.2);
    const far = points.filter((p) => p.t >= 0.8);
    assert.ok(
      near.every((p) => p.normalised_after < p.normalised_before),
      'near the first: towards it',
    );
    assert.ok(
      far.every((p) => p.normalised_after > p.normalised_before),
      'near the second: away from the first',
    );
    const spec = JSON.parse(readFileSync(join(dir, 'interpolation.vl.json'), 'utf8'));
    assert.equal(spec.layer[0].mark.type, 'line', 'the diagonal');
    assert.equal(spec.layer[1].data.values.length, points.length);
    assert.equal(spec.layer[1].encoding.color.field, 'pair_distance');
    assert.ok(existsSync(join(dir, 'interpolation.png')));
  });

  it('needs fixpoints: hand-made is no source for pairs', async () => {
    await assert.rejects(srnn.loadScenarioText(exact('{ type: interpolation, fixpoints: hand-made }'), 'bad.yaml'), /fixpoints/);
  });
});
