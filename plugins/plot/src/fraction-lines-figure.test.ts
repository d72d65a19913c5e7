import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pluginOptions } from '@srnn/core';
import { CLASS_COLOURS } from './class-colours';
import { FractionLinesFigure } from './fraction-lines-figure';
import { meanFixpointFraction, PNG_SIGNATURE, singleRunDir, svgMarks, svgTexts, SWEEP_ARCHITECTURES, SWEEP_REPLICATES, SWEEP_SIZE, SWEEP_TRAINS, sweepDir, sweepRunRows } from './fixture-results';

interface LineValue {
  x: number | string;
  series: string;
  mean: number;
  std: number;
  lower: number;
  upper: number;
  runs: number;
}

function specIn(dir: string, name = 'fraction-lines') {
  return JSON.parse(readFileSync(join(dir, `${name}.vl.json`), 'utf8'));
}

describe('fraction-lines figure', () => {
  const figure = new FractionLinesFigure();

  test('is drawn only when listed; the class defaults to fixpoint and the band to ± 1 std', () => {
    assert.equal(figure.automatic, false);
    assert.deepEqual(figure.optionsSchema.parse({}), { class: 'fixpoint', spread: 'std' });
    assert.throws(() => figure.optionsSchema.parse({ class: 'replicator' }));
  });

  test('by default: x is the numeric swept key, one line per architecture, each with a band', async () => {
    const { dir, scenario } = sweepDir();
    const files = await figure.render(dir, scenario, pluginOptions(figure, { type: 'fraction-lines' }));
    assert.deepEqual(
      files,
      ['fraction-lines.svg', 'fraction-lines.png', 'fraction-lines.vl.json'].map((f) => join(dir, f)),
    );
    const svg = readFileSync(join(dir, 'fraction-lines.svg'), 'utf8');
    assert.equal(svgMarks(svg, 'line mark'), SWEEP_ARCHITECTURES.length);
    assert.equal(svgMarks(svg, 'area mark'), SWEEP_ARCHITECTURES.length);
    assert.equal(svgMarks(svg, 'point'), SWEEP_ARCHITECTURES.length * SWEEP_TRAINS.length);
    const texts = svgTexts(svg);
    for (const t of ['fixpoint fraction vs experiment.trainsPerApplication', 'experiment.trainsPerApplication', 'fraction fixpoint', 'architecture.type', ...SWEEP_ARCHITECTURES, '500', '100%']) {
      assert.ok(texts.includes(t), `"${t}" in ${texts.join(' | ')}`);
    }
    assert.deepEqual(readFileSync(join(dir, 'fraction-lines.png')).subarray(0, 8), PNG_SIGNATURE);
  });

  test('the spec holds mean and spread over replicates per point, x quantitative, colour by series', async () => {
    const { dir, scenario } = sweepDir();
    await figure.render(dir, scenario, pluginOptions(figure, {}));
    const spec = specIn(dir);
    assert.deepEqual(spec.encoding.x, { field: 'x', type: 'quantitative', title: 'experiment.trainsPerApplication' });
    assert.equal(spec.encoding.color.field, 'series');
    assert.deepEqual(spec.encoding.color.sort, SWEEP_ARCHITECTURES);
    assert.deepEqual(
      spec.layer.map((l: { mark: { type: string } }) => l.mark.type),
      ['area', 'line'],
    );
    assert.deepEqual(spec.layer[0].encoding.y2, { field: 'upper' });
    assert.equal(spec.layer[1].encoding.y.field, 'mean');
    const values = spec.data.values as LineValue[];
    assert.equal(values.length, SWEEP_ARCHITECTURES.length * SWEEP_TRAINS.length);
    const point = values.find((v) => v.series === 'weightwise' && v.x === 100)!;
    assert.equal(point.runs, SWEEP_REPLICATES);
    assert.ok(Math.abs(point.mean - meanFixpointFraction('weightwise', 100)) < 1e-12);
    const fractions = sweepRunRows()
      .filter((r) => r.architecture === 'weightwise' && r.trains === 100)
      .map((r) => r.counts.fixpoint / SWEEP_SIZE);
    const std = Math.sqrt(fractions.reduce((s, f) => s + (f - point.mean) ** 2, 0) / (fractions.length - 1));
    assert.ok(Math.abs(point.std - std) < 1e-12);
    assert.ok(Math.abs(point.lower - (point.mean - std)) < 1e-12 && Math.abs(point.upper - (point.mean + std)) < 1e-12);
    for (const v of values) assert.ok(v.lower >= 0 && v.upper <= 1, 'the band stays within [0, 1]');
  });

  test('class, spread range and explicit x / series options', async () => {
    const { dir, scenario } = sweepDir({ format: 'csv' });
    await figure.render(dir, scenario, pluginOptions(figure, { class: 'divergent', x: 'architecture.type', series: 'experiment.trainsPerApplication', spread: 'range', name: 'div' }));
    const spec = specIn(dir, 'div');
    assert.equal(spec.title.text, 'divergent fraction vs architecture.type');
    assert.deepEqual(spec.encoding.x, { field: 'x', type: 'ordinal', title: 'architecture.type', sort: SWEEP_ARCHITECTURES });
    assert.deepEqual(spec.encoding.color.sort, SWEEP_TRAINS.map(String));
    const recurrent = (spec.data.values as LineValue[]).find((v) => v.x === 'recurrent' && v.series === '0')!;
    assert.deepEqual([recurrent.lower, recurrent.upper], [6 / SWEEP_SIZE, 8 / SWEEP_SIZE]);
  });

  test('a list of classes plots the sum of their fractions per run, named by label', async () => {
    const { dir, scenario } = sweepDir();
    await figure.render(dir, scenario, pluginOptions(figure, { class: ['zero', 'fixpoint'], label: 'fixpoint (zero or not)', name: 'either' }));
    const spec = specIn(dir, 'either');
    assert.equal(spec.title.text, 'fixpoint (zero or not) fraction vs experiment.trainsPerApplication');
    assert.equal(spec.layer[1].encoding.y.title, 'fraction fixpoint (zero or not)');
    const point = (spec.data.values as LineValue[]).find((v) => v.series === 'weightwise' && v.x === 100)!;
    const sums = sweepRunRows()
      .filter((r) => r.architecture === 'weightwise' && r.trains === 100)
      .map((r) => (r.counts.zero + r.counts.fixpoint) / SWEEP_SIZE);
    const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
    assert.ok(
      sums.some((f, i) => f !== sweepRunRows().filter((r) => r.architecture === 'weightwise' && r.trains === 100)[i].counts.fixpoint / SWEEP_SIZE),
      'the fixture has zero nets there',
    );
    assert.ok(Math.abs(point.mean - mean) < 1e-12, `${point.mean} vs ${mean}`);
    const std = Math.sqrt(sums.reduce((s, f) => s + (f - mean) ** 2, 0) / (sums.length - 1));
    assert.ok(Math.abs(point.std - std) < 1e-12, 'the spread is that of the sums');
    await figure.render(dir, scenario, pluginOptions(figure, { class: ['divergent', 'other'], spread: 'none', series: 'experiment.nothing', name: 'default-label' }));
    assert.equal(specIn(dir, 'default-label').title.text, 'divergent + other fraction vs experiment.trainsPerApplication');
    assert.throws(() => figure.optionsSchema.parse({ class: [] }));
    assert.throws(() => figure.optionsSchema.parse({ class: ['zero', 'zero'] }));
  });

  test('without a series there is one line in the class colour; spread none draws no band', async () => {
    const { dir, scenario } = sweepDir();
    await figure.render(dir, scenario, pluginOptions(figure, { x: 'experiment.trainsPerApplication', series: 'experiment.nothing', spread: 'none', class: 'zero' }));
    const spec = specIn(dir);
    assert.deepEqual(spec.encoding.color, { value: CLASS_COLOURS.zero });
    assert.equal(spec.layer.length, 1);
    const svg = readFileSync(join(dir, 'fraction-lines.svg'), 'utf8');
    assert.equal(svgMarks(svg, 'line mark'), 1);
    assert.equal(svgMarks(svg, 'area mark'), 0);
  });

  test('writes nothing in a single run directory', async () => {
    const { dir, scenario } = singleRunDir();
    assert.deepEqual(await figure.render(dir, scenario, pluginOptions(figure, {})), []);
    assert.deepEqual(readdirSync(dir).sort(), ['census.csv', 'scenario.resolved.yaml', 'summary.json', 'weights.json']);
  });
});
