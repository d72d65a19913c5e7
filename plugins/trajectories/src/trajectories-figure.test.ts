import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Subject } from 'rxjs';
import { pluginOptions, type ResolvedScenario, type RunEvent } from '@srnn/core';
import { emitTrajectories, readTrajectories, TrajectoryRecorder, type TrajectorySet } from '@srnn/analysis';
import { projectTrajectories, thinned } from './projection';
import { TrajectoriesFigure } from './trajectories-figure';
import { trajectoriesHtml } from './trajectories-html';
import { TrajectoriesSink } from './trajectories-sink';

const root = mkdtempSync(join(tmpdir(), 'srnn-trajectories-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const fresh = () => {
  const dir = join(root, String(dirs++));
  mkdirSync(dir);
  return dir;
};

const scenario = (figures: ResolvedScenario['figures'] = []) =>
  ({
    name: 'demo',
    seed: 1,
    backend: 'js',
    plugins: [],
    architecture: { type: 'weightwise' },
    population: { size: 2, init: 'default' },
    experiment: { type: 'clones' },
    classify: { epsilon: 1e-5, strict: false },
    output: { events: false },
    replicates: 1,
    figures,
  }) as ResolvedScenario;

/** A parent moving along weight 0 and two clones of it moving along weight 1, in 3 weights. */
function demoSet(): TrajectorySet {
  const recorder = new TrajectoryRecorder(3);
  const parent = recorder.add({ id: 0, role: 'parent' });
  const clones = [recorder.add({ id: 2, role: 'clone', parent: 0, group: 1e-2 }), recorder.add({ id: 3, role: 'clone', parent: 0, group: 1e-4 })];
  for (let s = 0; s <= 10; s++) recorder.record(parent, s * 10, Float32Array.of(s, 0, 0));
  clones.forEach((h, c) => {
    for (let s = 5; s <= 10; s++) recorder.record(h, s * 10, Float32Array.of(5, (c + 1) * (s - 5) * 0.5, 0));
  });
  recorder.setClasses([parent, ...clones], [2, 2, 4]);
  return recorder.finish();
}

describe('trajectories in a shared PCA', () => {
  it('thins a long trajectory to at most max rows, keeping the first and the last', () => {
    assert.deepEqual(thinned(5, 10), [0, 1, 2, 3, 4]);
    const rows = thinned(1000, 5);
    assert.equal(rows.length, 5);
    assert.deepEqual([rows[0], rows.at(-1)], [0, 999]);
  });

  it('projects every trajectory onto one PCA; series by role and group, groups by decreasing level', () => {
    const projection = projectTrajectories(demoSet());
    assert.deepEqual(projection.series, ['parent', 'clone 1e-2', 'clone 1e-4']);
    assert.equal(projection.pca.fittedRows, 11 + 6 + 6);
    const [parent] = projection.trajectories;
    assert.ok(Math.abs(Math.abs(parent.x[10] - parent.x[0]) - 10) < 1e-9, 'the parent moves 10 along the main axis');
  });

  it('the HTML page is self-contained: plotly inline, no external script, lines per series, red starts and black ends', () => {
    const html = trajectoriesHtml(projectTrajectories(demoSet()), { title: 'demo <title>', subtitle: 'sub', maxPoints: 100 });
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.doesNotMatch(html, /<script[^>]+src=/i, 'no script is loaded from anywhere');
    assert.doesNotMatch(html, /<link[^>]+href=/i);
    assert.match(html, /plotly\.js v\d/, 'the plotly bundle is inlined');
    assert.equal(html.match(/<\/script>/g)!.length, 2, 'the inlined code cannot close its script element early');
    assert.match(html, /<title>demo &lt;title&gt;<\/title>/);
    const figure = JSON.parse(html.slice(html.indexOf('const figure = ') + 15, html.indexOf(';\nPlotly.newPlot')));
    assert.deepEqual(
      figure.data.map((t: { name: string }) => t.name),
      ['parent', 'clone 1e-2', 'clone 1e-4', 'start', 'end'],
    );
    assert.ok(figure.data.every((t: { type: string }) => t.type === 'scatter3d'));
    const [parent, , , start, end] = figure.data;
    assert.equal(parent.z.length, 12, 'eleven rows and a gap');
    assert.equal(parent.z.at(-1), null);
    assert.deepEqual(start.z, [0, 50, 50]);
    assert.deepEqual(end.z, [100, 100, 100]);
    assert.equal(start.marker.color, '#d62728');
    assert.equal(end.marker.color, '#000000');
    assert.equal(figure.layout.scene.zaxis.title.text, 'step');
  });

  it('the figure writes trajectories.html and the 2D view from trajectories.json, and nothing without it', async () => {
    const dir = fresh();
    const figure = new TrajectoriesFigure();
    assert.deepEqual(await figure.render(dir, scenario(), pluginOptions(figure, {})), []);
    const sink = new TrajectoriesSink();
    const events = new Subject<RunEvent>();
    const done = sink.attach(events, dir);
    emitTrajectories({ emit: (e) => events.next(e) }, demoSet());
    events.next({ kind: 'run-finished' } as RunEvent);
    events.complete();
    await done;
    assert.equal(readTrajectories(dir)!.trajectories.length, 3);
    const files = await figure.render(dir, scenario(), pluginOptions(figure, {}));
    assert.deepEqual(
      files,
      ['html', 'svg', 'png', 'vl.json'].map((ext) => join(dir, `trajectories.${ext}`)),
    );
    const spec = JSON.parse(readFileSync(join(dir, 'trajectories.vl.json'), 'utf8'));
    assert.equal(spec.layer[0].mark.type, 'line');
    assert.deepEqual(spec.layer[0].encoding.color.scale.domain, ['parent', 'clone 1e-2', 'clone 1e-4']);
    assert.deepEqual(spec.layer[1].encoding.color.scale.range, ['#d62728', '#000000']);
    assert.equal(spec.layer[1].data.values.length, 6, 'a start and an end per trajectory');
  });

  it("draws a soup's snapshots only when the figure is listed", async () => {
    const dir = fresh();
    const weights = Float32Array.of(0, 0, 1, 1, 1, 0, 1, 2);
    writeFileSync(join(dir, 'snapshots.f32'), Buffer.from(weights.buffer));
    writeFileSync(
      join(dir, 'snapshots.json'),
      JSON.stringify({
        format: 'srnn-snapshots/1',
        weights: 'snapshots.f32',
        size: 2,
        weightCount: 2,
        snapshots: [
          { step: 0, uids: [0, 1], classes: [4, 4] },
          { step: 5, uids: [0, 1], classes: [2, 4] },
        ],
        steps: [0, 5],
        count: 2,
      }),
    );
    const figure = new TrajectoriesFigure();
    assert.deepEqual(await figure.render(dir, scenario(), pluginOptions(figure, {})), [], 'automatic: soups draw their own figures');
    const listed = scenario([{ type: 'trajectories', name: 'soup-trajectories' }]);
    const files = await figure.render(dir, listed, pluginOptions(figure, { type: 'trajectories', name: 'soup-trajectories' }));
    assert.equal(files.length, 4);
    assert.ok(existsSync(join(dir, 'soup-trajectories.html')));
  });
});
