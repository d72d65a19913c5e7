import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PARTICLE_CLASSES, pluginOptions } from '@srnn/core';
import { CensusOverTimeFigure } from './census-over-time-figure';
import { CLASS_COLOURS } from './class-colours';
import { MAX_DRAWN_CENSUSES } from './figure-support';
import { longCensusRows, PNG_SIGNATURE, pngSize, singleRunDir, svgMarks, svgTexts, sweepDir } from './fixture-results';

const RUN_FILES = ['census.csv', 'scenario.resolved.yaml', 'summary.json', 'weights.json'];
const FIGURE_FILES = ['census-over-time.png', 'census-over-time.svg', 'census-over-time.vl.json'];

describe('census-over-time figure', () => {
  const figure = new CensusOverTimeFigure();

  test('is drawn automatically, with no options', () => {
    assert.equal(figure.automatic, true);
    assert.deepEqual(figure.optionsSchema.parse({}), {});
  });

  test('writes census-over-time.svg, .png and .vl.json beside census.csv and nothing else', async () => {
    const { dir, scenario } = singleRunDir();
    const files = await figure.render(dir, scenario, pluginOptions(figure, {}));
    assert.deepEqual(
      files,
      ['census-over-time.svg', 'census-over-time.png', 'census-over-time.vl.json'].map((f) => join(dir, f)),
    );
    assert.deepEqual(readdirSync(dir).sort(), [...RUN_FILES, ...FIGURE_FILES].sort());
  });

  test('the SVG stacks one area per class, with title, subtitle, axis titles and every class in the legend', async () => {
    const { dir, scenario } = singleRunDir();
    await figure.render(dir, scenario, pluginOptions(figure, {}));
    const svg = readFileSync(join(dir, 'census-over-time.svg'), 'utf8');
    assert.equal(svgMarks(svg, 'area mark'), 5);
    const texts = svgTexts(svg);
    for (const t of ['census over time', 'fixture: 10 × weightwise, self-train', 'step', 'particles', 'class', ...PARTICLE_CLASSES]) {
      assert.ok(texts.includes(t), `"${t}" in ${texts.join(' | ')}`);
    }
    for (const c of PARTICLE_CLASSES) assert.ok(svg.includes(`fill="${CLASS_COLOURS[c]}"`), `${c} drawn in ${CLASS_COLOURS[c]}`);
  });

  test('the PNG is a PNG at twice the SVG size', async () => {
    const { dir, scenario } = singleRunDir();
    await figure.render(dir, scenario, pluginOptions(figure, {}));
    const png = readFileSync(join(dir, 'census-over-time.png'));
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const [, width, height] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(readFileSync(join(dir, 'census-over-time.svg'), 'utf8'))!;
    assert.deepEqual(pngSize(png), { width: 2 * Number(width), height: 2 * Number(height) });
    assert.ok(Number(width) > 480 && Number(height) > 260, 'plot area plus axes and legend');
  });

  test('the spec maps step to x, stacked counts to y and class to the fixed class colours', async () => {
    const { dir, scenario } = singleRunDir();
    await figure.render(dir, scenario, pluginOptions(figure, { type: 'census-over-time', title: 'my census' }));
    const spec = JSON.parse(readFileSync(join(dir, 'census-over-time.vl.json'), 'utf8'));
    assert.deepEqual(spec.title, { text: 'my census', subtitle: 'fixture: 10 × weightwise, self-train' });
    assert.deepEqual(spec.mark, { type: 'area', interpolate: 'linear' });
    assert.deepEqual(spec.encoding.x, { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1 } });
    assert.equal(spec.encoding.y.field, 'count');
    assert.equal(spec.encoding.y.stack, 'zero');
    assert.deepEqual(spec.encoding.y.scale.domain, [0, 10]);
    assert.deepEqual(spec.encoding.color.scale, { domain: [...PARTICLE_CLASSES], range: PARTICLE_CLASSES.map((c) => CLASS_COLOURS[c]) });
    assert.equal(spec.data.values.length, 5 * 5);
    assert.deepEqual(
      spec.data.values.find((v: { step: number; class: string }) => v.step === 400 && v.class === 'fixpoint'),
      { step: 400, class: 'fixpoint', order: 2, count: 7 },
    );
  });

  test('a single census is drawn as one stacked bar', async () => {
    const { dir, scenario } = singleRunDir({ rows: ['0,1,2,3,0,4,'] });
    await figure.render(dir, scenario, pluginOptions(figure, {}));
    const svg = readFileSync(join(dir, 'census-over-time.svg'), 'utf8');
    assert.equal(svgMarks(svg, 'bar'), 5);
  });

  test('writes nothing where there is no census.csv (a sweep directory)', async () => {
    const { dir, scenario } = sweepDir();
    const before = readdirSync(dir).sort();
    assert.deepEqual(await figure.render(dir, scenario, pluginOptions(figure, {})), []);
    assert.deepEqual(readdirSync(dir).sort(), before);
  });
});

describe('census-over-time figure of a long run', () => {
  test('200 001 censuses: drawn as 2 000 at most, the first and the last among them, and the subtitle says so', async () => {
    const { dir, scenario } = singleRunDir({ rows: longCensusRows(200_001) });
    const files = await new CensusOverTimeFigure().render(dir, scenario, {});
    assert.equal(files.length, 3);
    const spec = JSON.parse(readFileSync(join(dir, 'census-over-time.vl.json'), 'utf8'));
    const steps = [...new Set(spec.data.values.map((v: { step: number }) => v.step))] as number[];
    assert.ok(steps.length <= MAX_DRAWN_CENSUSES, `${steps.length} steps drawn`);
    assert.deepEqual([steps[0], steps[1], steps[steps.length - 1]], [0, 101, 200_000]);
    assert.deepEqual(spec.title.subtitle, ['fixture: 10 × weightwise, self-train', `${steps.length} of 200001 censuses drawn (one in 101)`]);
    assert.deepEqual(spec.encoding.y.scale.domain, [0, 10]);
    assert.ok(readFileSync(join(dir, 'census-over-time.svg'), 'utf8').includes(spec.title.subtitle[1]), 'the SVG shows the subtitle');
  });
});
