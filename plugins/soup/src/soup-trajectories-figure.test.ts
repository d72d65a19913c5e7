import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ResolvedScenario, pluginOptions } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { interactionsModule } from '@srnn/interactions';
import { weightwiseModule } from '@srnn/weightwise';
import { evenlySpaced, SoupTrajectoriesFigure } from './soup-trajectories-figure';
import soupModule from './soup-module';

const root = mkdtempSync(join(tmpdir(), 'srnn-soup-trajectories-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const fresh = () => {
  const dir = join(root, String(dirs++));
  mkdirSync(dir);
  return dir;
};

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, interactionsModule, soupModule] });
});

const scenario = { name: 'demo', population: { size: 3 }, architecture: { type: 'weightwise' }, experiment: { type: 'soup' } } as unknown as ResolvedScenario;

/** snapshots.f32/json of `size` particles of 2 weights over the given snapshots: weights(step, particle). */
function writeSnapshots(dir: string, size: number, steps: number[], weights: (step: number, p: number) => [number, number], uids = (_s: number, p: number) => p): void {
  const data = new Float32Array(steps.length * size * 2);
  steps.forEach((step, s) => {
    for (let p = 0; p < size; p++) data.set(weights(step, p), (s * size + p) * 2);
  });
  writeFileSync(join(dir, 'snapshots.f32'), Buffer.from(data.buffer));
  const snapshots = steps.map((step, s) => ({ step, uids: Array.from({ length: size }, (_, p) => uids(s, p)), classes: Array(size).fill(4) }));
  writeFileSync(join(dir, 'snapshots.json'), JSON.stringify({ format: 'srnn-snapshots/1', weights: 'snapshots.f32', size, weightCount: 2, snapshots, steps, count: steps.length }));
}

const spec = (dir: string, name = 'soup-trajectories') => JSON.parse(readFileSync(join(dir, `${name}.vl.json`), 'utf8'));

describe('soup trajectories figure', () => {
  it('picks at most max of n items, evenly spaced, the first and the last included', () => {
    assert.deepEqual(evenlySpaced(4, 10), [0, 1, 2, 3]);
    assert.deepEqual(evenlySpaced(10, 3), [0, 5, 9]);
    assert.deepEqual(evenlySpaced(10, 1), [0]);
  });

  it('draws each particle as segments coloured by epoch, start red and end black, in one PCA of every snapshot row', async () => {
    const dir = fresh();
    writeSnapshots(dir, 3, [0, 5, 10], (step, p) => [p + step / 10, 2 * p]);
    const files = await new SoupTrajectoriesFigure().render(dir, scenario, pluginOptions(new SoupTrajectoriesFigure(), {}));
    assert.deepEqual(
      files,
      ['svg', 'png', 'vl.json'].map((ext) => join(dir, `soup-trajectories.${ext}`)),
    );
    const s = spec(dir);
    const [segments, ends] = s.layer;
    assert.equal(segments.mark.type, 'rule');
    assert.deepEqual(segments.encoding.color.field, 'epoch');
    assert.equal(segments.data.values.length, 3 * 2, 'two segments per particle');
    assert.deepEqual(
      segments.data.values.filter((v: { particle: number }) => v.particle === 1).map((v: { epoch: number }) => v.epoch),
      [5, 10],
    );
    assert.deepEqual(ends.encoding.color.scale, { domain: ['start', 'end'], range: ['#d62728', '#000000'] });
    assert.equal(ends.data.values.length, 6);
    assert.match(s.title.subtitle[1], /^3 particles; PCA of all 9 snapshot rows/);
    // the main axis runs along the particles' spread (weight 1 varies most): the start points are evenly spaced on PC1
    const starts = ends.data.values.filter((v: { at: string }) => v.at === 'start').map((v: { pc1: number }) => v.pc1);
    assert.ok(Math.abs(Math.abs(starts[2] - starts[1]) - Math.abs(starts[1] - starts[0])) < 1e-5);
  });

  it('a respawned slot starts a new path; divergent rows are left out of the fit and the drawing', async () => {
    const dir = fresh();
    // particle 1 is replaced by uid 3 at step 5; particle 2 diverges at step 10
    writeSnapshots(
      dir,
      3,
      [0, 5, 10],
      (step, p) => (p === 2 && step === 10 ? [NaN, NaN] : [p + step, step - p]),
      (s, p) => (p === 1 && s > 0 ? 3 : p),
    );
    await new SoupTrajectoriesFigure().render(dir, scenario, pluginOptions(new SoupTrajectoriesFigure(), {}));
    const [segments, ends] = spec(dir).layer;
    const of = (values: { particle: number }[], uid: number) => values.filter((v) => v.particle === uid).length;
    assert.deepEqual(
      [0, 1, 2, 3].map((uid) => of(segments.data.values, uid)),
      [2, 0, 1, 1],
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((uid) => of(ends.data.values, uid)),
      [2, 2, 2, 2],
    );
    assert.match(spec(dir).title.subtitle[1], /4 particles; PCA of all 8 snapshot rows/);
  });

  it('draws at most maxParticles paths (evenly spaced by uid) and maxSnapshots points per path', async () => {
    const dir = fresh();
    writeSnapshots(dir, 10, [0, 1, 2, 3, 4, 5], (step, p) => [p * step, p - step]);
    await new SoupTrajectoriesFigure().render(dir, scenario, pluginOptions(new SoupTrajectoriesFigure(), { maxParticles: 3, maxSnapshots: 3, name: 'few' }));
    const [segments] = spec(dir, 'few').layer;
    assert.deepEqual([...new Set(segments.data.values.map((v: { particle: number }) => v.particle))], [0, 5, 9]);
    assert.deepEqual(
      segments.data.values.filter((v: { particle: number }) => v.particle === 5).map((v: { epoch: number }) => v.epoch),
      [3, 5],
    );
    assert.match(spec(dir, 'few').title.subtitle[1], /^3 of 10 particles \(evenly spaced by uid\); PCA of all 60 snapshot rows/);
  });

  it('is drawn automatically for a soup run with snapshots, and not for one without', async () => {
    const soup = (snapshots: string) =>
      [
        'seed: 4',
        'architecture: { type: weightwise }',
        'population: { size: 5 }',
        'experiment:',
        '  type: soup',
        '  epochs: 6',
        snapshots,
        '  interactions: [{ type: attack, rate: 0.3 }, { type: self-train, steps: 3 }]',
        '',
      ].join('\n');
    const withSnapshots = join(fresh(), 'out');
    await srnn.runIntoDirectory(srnn.createRun(await srnn.loadScenarioText(soup('  snapshotEvery: 2'), 'soup.yaml')), withSnapshots);
    assert.ok(existsSync(join(withSnapshots, 'soup-trajectories.png')));
    assert.equal(spec(withSnapshots).layer[1].data.values.length, 2 * 5, 'a start and an end per particle');
    const without = join(fresh(), 'out');
    await srnn.runIntoDirectory(srnn.createRun(await srnn.loadScenarioText(soup(''), 'soup.yaml')), without);
    assert.equal(existsSync(join(without, 'soup-trajectories.png')), false);
    assert.deepEqual(await new SoupTrajectoriesFigure().render(without, scenario, pluginOptions(new SoupTrajectoriesFigure(), {})), []);
  });
});
