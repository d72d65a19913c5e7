import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PARTICLE_CLASSES, pluginOptions } from '@srnn/core';
import { CensusBarsFigure } from './census-bars-figure';
import { CLASS_COLOURS } from './class-colours';
import { meanFixpointFraction, PNG_SIGNATURE, pngSize, singleRunDir, svgMarks, svgTexts, SWEEP_ARCHITECTURES, SWEEP_TRAINS, sweepDir } from './fixture-results';

interface BarValue {
  x: string;
  class: string;
  fraction: number;
  runs: number;
}

function specIn(dir: string, name = 'census-bars') {
  return JSON.parse(readFileSync(join(dir, `${name}.vl.json`), 'utf8'));
}

describe('census-bars figure', () => {
  const figure = new CensusBarsFigure();

  test('is drawn only when a scenario lists it; x defaults to architecture.type', () => {
    assert.equal(figure.automatic, false);
    assert.deepEqual(figure.optionsSchema.parse({}), { x: 'architecture.type' });
    assert.throws(() => figure.optionsSchema.parse({ colour: 'red' }), /colour/);
  });

  test('one stacked bar per architecture of a sweep: 3 bars × 5 classes, axis labels in sweep order', async () => {
    const { dir, scenario } = sweepDir();
    const files = await figure.render(dir, scenario, pluginOptions(figure, { type: 'census-bars', x: 'architecture.type' }));
    assert.deepEqual(
      files,
      ['census-bars.svg', 'census-bars.png', 'census-bars.vl.json'].map((f) => join(dir, f)),
    );
    const svg = readFileSync(join(dir, 'census-bars.svg'), 'utf8');
    assert.equal(svgMarks(svg, 'bar'), SWEEP_ARCHITECTURES.length * PARTICLE_CLASSES.length);
    const texts = svgTexts(svg);
    for (const t of ['census per architecture.type', 'architecture.type', 'fraction of particles', '0%', '100%', ...PARTICLE_CLASSES]) {
      assert.ok(texts.includes(t), `"${t}" in ${texts.join(' | ')}`);
    }
    const labels = texts.filter((t) => SWEEP_ARCHITECTURES.includes(t));
    assert.deepEqual(labels, SWEEP_ARCHITECTURES);
    assert.ok(texts.includes('self-train; mean over 12 runs per bar'));
    const png = readFileSync(join(dir, 'census-bars.png'));
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.ok(pngSize(png).width > 400 && pngSize(png).height > 500);
  });

  test('the spec stacks the mean fraction of each class per x value in the class colours', async () => {
    const { dir, scenario } = sweepDir();
    await figure.render(dir, scenario, pluginOptions(figure, {}));
    const spec = specIn(dir);
    assert.deepEqual(spec.encoding.x.sort, SWEEP_ARCHITECTURES);
    assert.equal(spec.encoding.x.title, 'architecture.type');
    assert.equal(spec.encoding.y.field, 'fraction');
    assert.equal(spec.encoding.y.stack, 'zero');
    assert.deepEqual(
      spec.encoding.color.scale.range,
      PARTICLE_CLASSES.map((c) => CLASS_COLOURS[c]),
    );
    const values = spec.data.values as BarValue[];
    const weightwise = values.filter((v) => v.x === 'weightwise');
    assert.equal(weightwise.length, 5);
    assert.ok(Math.abs(weightwise.reduce((s, v) => s + v.fraction, 0) - 1) < 1e-12, 'fractions of a bar sum to 1');
    const expected = SWEEP_TRAINS.reduce((s, t) => s + meanFixpointFraction('weightwise', t), 0) / SWEEP_TRAINS.length;
    assert.ok(Math.abs(weightwise.find((v) => v.class === 'fixpoint')!.fraction - expected) < 1e-12);
    assert.equal(weightwise[0].runs, 12);
  });

  test('x may be any swept key path; numbers are ordered ascending; `name` names the files', async () => {
    const { dir, scenario } = sweepDir({ format: 'csv' });
    const files = await figure.render(dir, scenario, pluginOptions(figure, { type: 'census-bars', x: 'experiment.trainsPerApplication', name: 'bars-by-t', title: 'by t' }));
    assert.deepEqual(
      files.map((f) => f.slice(dir.length + 1)),
      ['bars-by-t.svg', 'bars-by-t.png', 'bars-by-t.vl.json'],
    );
    const spec = specIn(dir, 'bars-by-t');
    assert.equal(spec.title.text, 'by t');
    assert.deepEqual(spec.encoding.x.sort, SWEEP_TRAINS.map(String));
    const svg = readFileSync(join(dir, 'bars-by-t.svg'), 'utf8');
    assert.equal(svgMarks(svg, 'bar'), SWEEP_TRAINS.length * 5);
  });

  test('column: one panel of bars per value of another key path, each bar the mean of its own runs', async () => {
    const { dir, scenario } = sweepDir();
    await figure.render(dir, scenario, pluginOptions(figure, { x: 'experiment.trainsPerApplication', column: 'architecture.type', name: 'panels' }));
    const spec = specIn(dir, 'panels');
    assert.deepEqual(spec.facet.column.sort, SWEEP_ARCHITECTURES);
    assert.equal(spec.facet.column.title, 'architecture.type');
    assert.deepEqual(spec.spec.encoding.x.sort, SWEEP_TRAINS.map(String));
    const values = spec.data.values as (BarValue & { panel: string })[];
    assert.equal(values.length, SWEEP_ARCHITECTURES.length * SWEEP_TRAINS.length * PARTICLE_CLASSES.length);
    const bar = values.find((v) => v.panel === 'weightwise' && v.x === '100' && v.class === 'fixpoint')!;
    assert.ok(Math.abs(bar.fraction - meanFixpointFraction('weightwise', 100)) < 1e-12);
    const svg = readFileSync(join(dir, 'panels.svg'), 'utf8');
    assert.equal(svgMarks(svg, 'bar'), values.length);
    const texts = svgTexts(svg);
    for (const t of SWEEP_ARCHITECTURES) assert.ok(texts.includes(t), `panel header "${t}" in ${texts.join(' | ')}`);
  });

  test('a key path the sweep did not vary gives one bar with the scenario value', async () => {
    const { dir, scenario } = sweepDir();
    await figure.render(dir, scenario, pluginOptions(figure, { type: 'census-bars', x: 'experiment.type' }));
    assert.deepEqual(specIn(dir).encoding.x.sort, ['self-train']);
  });

  test('writes nothing in a single run directory or for a key path found nowhere', async () => {
    const run = singleRunDir();
    assert.deepEqual(await figure.render(run.dir, run.scenario, pluginOptions(figure, {})), []);
    assert.deepEqual(readdirSync(run.dir).sort(), ['census.csv', 'scenario.resolved.yaml', 'summary.json', 'weights.json']);
    const sweep = sweepDir();
    const before = readdirSync(sweep.dir).sort();
    assert.deepEqual(await figure.render(sweep.dir, sweep.scenario, pluginOptions(figure, { x: 'experiment.nothing' })), []);
    assert.deepEqual(readdirSync(sweep.dir).sort(), before);
  });
});
