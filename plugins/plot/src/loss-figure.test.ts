import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pluginOptions } from '@srnn/core';
import { LossFigure } from './loss-figure';
import { MAX_DRAWN_CENSUSES } from './figure-support';
import { longCensusRows, PNG_SIGNATURE, pngSize, singleRunDir, svgMarks, svgTexts, sweepDir } from './fixture-results';

describe('loss figure', () => {
  const figure = new LossFigure();

  test('is drawn automatically', () => {
    assert.equal(figure.automatic, true);
  });

  test('writes loss.svg, loss.png and loss.vl.json with one point per census that has a loss', async () => {
    const { dir, scenario } = singleRunDir();
    const files = await figure.render(dir, scenario, pluginOptions(figure, {}));
    assert.deepEqual(
      files,
      ['loss.svg', 'loss.png', 'loss.vl.json'].map((f) => join(dir, f)),
    );
    const svg = readFileSync(join(dir, 'loss.svg'), 'utf8');
    assert.equal(svgMarks(svg, 'line mark'), 1);
    assert.equal(svgMarks(svg, 'point'), 4, 'the census at step 0 has no loss');
    const texts = svgTexts(svg);
    for (const t of ['mean loss', 'step', '1e-5', '1e-4', '1e-3', '1e-2', '1e-1']) assert.ok(texts.includes(t), `"${t}" in ${texts.join(' | ')}`);
    const png = readFileSync(join(dir, 'loss.png'));
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.ok(pngSize(png).width > 960 && pngSize(png).height > 520);
  });

  test('the spec plots mean loss on a log scale over step, ticks at powers of ten', async () => {
    const { dir, scenario } = singleRunDir();
    await figure.render(dir, scenario, pluginOptions(figure, {}));
    const spec = JSON.parse(readFileSync(join(dir, 'loss.vl.json'), 'utf8'));
    assert.deepEqual(spec.encoding.x, { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1 } });
    assert.equal(spec.encoding.y.field, 'loss');
    assert.equal(spec.encoding.y.scale.type, 'log');
    assert.deepEqual(spec.encoding.y.axis.values, [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
    assert.deepEqual(spec.data.values, [
      { step: 100, loss: 0.05 },
      { step: 200, loss: 0.004 },
      { step: 300, loss: 0.0003 },
      { step: 400, loss: 0.00002 },
    ]);
  });

  test('censuses with loss 0 are left out and counted in the subtitle', async () => {
    const { dir, scenario } = singleRunDir({ rows: ['0,0,0,0,0,10,0.5', '10,0,0,10,0,0,0'] });
    await figure.render(dir, scenario, pluginOptions(figure, {}));
    const spec = JSON.parse(readFileSync(join(dir, 'loss.vl.json'), 'utf8'));
    assert.deepEqual(spec.data.values, [{ step: 0, loss: 0.5 }]);
    assert.match(spec.title.subtitle.join(' '), /1 censuses with loss 0 not shown/);
  });

  test('writes nothing when census.csv has no loss (e.g. self-application) or there is no census.csv', async () => {
    const run = singleRunDir({ withLoss: false });
    assert.deepEqual(await figure.render(run.dir, run.scenario, pluginOptions(figure, {})), []);
    assert.deepEqual(readdirSync(run.dir).sort(), ['census.csv', 'scenario.resolved.yaml', 'summary.json', 'weights.json']);
    const sweep = sweepDir();
    assert.deepEqual(await figure.render(sweep.dir, sweep.scenario, pluginOptions(figure, {})), []);
  });
});

describe('loss figure of a long run', () => {
  test('200 001 censuses: drawn as 2 000 at most, the scale spans every census (drawn or not), the subtitle says so', async () => {
    const { dir, scenario } = singleRunDir({ rows: longCensusRows(200_001) });
    assert.equal((await new LossFigure().render(dir, scenario, {})).length, 3);
    const spec = JSON.parse(readFileSync(join(dir, 'loss.vl.json'), 'utf8'));
    const steps = spec.data.values.map((v: { step: number }) => v.step) as number[];
    assert.ok(steps.length <= MAX_DRAWN_CENSUSES, `${steps.length} censuses drawn`);
    assert.deepEqual([steps[0], steps[steps.length - 1]], [0, 200_000]);
    assert.ok(!steps.includes(12_345), 'the census of the lowest loss is not drawn');
    assert.deepEqual(spec.encoding.y.scale.domain, [1e-9, 1]);
    assert.equal(spec.title.subtitle[1], `${steps.length} of 200001 censuses drawn (one in 101)`);
  });
});
