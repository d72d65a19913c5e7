import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { findFonts, fontsDrawText, FONT_VARIABLE, type FontSetup } from './fonts';
import { PNG_SCALE, svgToPng, vegaLiteToSvg, writeFigure, type TopLevelSpec } from './render-vega-lite';
import { PNG_SIGNATURE, pngSize, svgTexts, tempDir } from './fixture-results';

const SPEC: TopLevelSpec = {
  title: 'a small chart',
  width: 200,
  height: 100,
  data: {
    values: [
      { a: 1, b: 2 },
      { a: 2, b: 3 },
      { a: 3, b: 1 },
    ],
  },
  mark: { type: 'line', clip: true, point: true },
  encoding: { x: { field: 'a', type: 'quantitative', title: 'the a axis' }, y: { field: 'b', type: 'quantitative', title: 'the b axis' } },
};

const NO_FONTS: FontSetup = { loadSystemFonts: false, fontFiles: [] };
const systemFonts = findFonts({});
const haveFonts = fontsDrawText(systemFonts);

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  assert.ok(match, 'the svg element has a width and a height');
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Pixels that are not white. */
function inkedPixels(png: Buffer): number {
  // decoded by resvg: the PNG drawn as an <image>, its pixels read back
  const { width, height } = pngSize(png);
  const wrapped = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><image width="${width}" height="${height}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const rgba = new Resvg(wrapped).render().pixels;
  let count = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i] < 250 || rgba[i + 1] < 250 || rgba[i + 2] < 250) count++;
  return count;
}

describe('rendering Vega-Lite specs without a browser', () => {
  test('a spec becomes SVG text holding its title and axis titles', async () => {
    const svg = await vegaLiteToSvg(SPEC);
    assert.match(svg, /^<svg /);
    const texts = svgTexts(svg);
    for (const t of ['a small chart', 'the a axis', 'the b axis']) assert.ok(texts.includes(t), `${t} in ${texts.join('|')}`);
  });

  test('the same spec renders to the same SVG every time (ids of clip paths restart)', async () => {
    const first = await vegaLiteToSvg(SPEC);
    await vegaLiteToSvg({ ...SPEC, title: 'another chart in between' });
    assert.equal(await vegaLiteToSvg(SPEC), first);
    assert.match(first, /clip-path="url\(#clip1\)"/);
  });

  test('the PNG has the PNG signature and twice the SVG size', async () => {
    const svg = await vegaLiteToSvg(SPEC);
    const png = svgToPng(svg, systemFonts);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const size = svgSize(svg);
    assert.deepEqual(pngSize(png), { width: size.width * PNG_SCALE, height: size.height * PNG_SCALE });
  });

  test('text is drawn into the PNG with the system fonts', { skip: haveFonts ? false : 'no system font on this machine' }, async () => {
    const svg = await vegaLiteToSvg(SPEC);
    const withText = inkedPixels(svgToPng(svg, systemFonts));
    const withoutText = inkedPixels(svgToPng(svg, NO_FONTS));
    assert.ok(withText > withoutText + 1000, `text adds ink: ${withText} vs ${withoutText} pixels`);
  });

  const dejaVu = '/usr/share/fonts/truetype/dejavu';
  test('DejaVu Sans is preferred for sans-serif where it is installed: its four faces only', { skip: existsSync(`${dejaVu}/DejaVuSans.ttf`) ? false : 'no DejaVu Sans' }, () => {
    const faces = ['DejaVuSans-Bold.ttf', 'DejaVuSans-BoldOblique.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans.ttf'].map((f) => `${dejaVu}/${f}`).filter((f) => existsSync(f));
    assert.deepEqual(findFonts({}), { loadSystemFonts: false, fontFiles: faces, family: 'DejaVu Sans' });
  });

  test("the family's own faces draw the same PNG as all the system fonts with that family", { skip: systemFonts.family ? false : 'no preferred family' }, async () => {
    const svg = await vegaLiteToSvg({ ...SPEC, title: { text: 'a bold title', subtitle: 'and a plain subtitle' } } as TopLevelSpec);
    const everything: FontSetup = { loadSystemFonts: true, fontFiles: [], family: systemFonts.family };
    assert.ok(svgToPng(svg, systemFonts).equals(svgToPng(svg, everything)));
  });

  test('without any font, the PNG is still written, the same size, without text', async () => {
    assert.equal(fontsDrawText(NO_FONTS), false);
    const svg = await vegaLiteToSvg(SPEC);
    const png = svgToPng(svg, NO_FONTS);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.deepEqual(pngSize(png), { width: svgSize(svg).width * PNG_SCALE, height: svgSize(svg).height * PNG_SCALE });
    assert.ok(inkedPixels(png) > 0, 'the lines and axes are drawn');
  });

  test(`${FONT_VARIABLE} names the one font file to use; a missing file falls back to the usual choice`, () => {
    const file = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';
    assert.deepEqual(findFonts({ [FONT_VARIABLE]: file }), { loadSystemFonts: false, fontFiles: [file] });
    assert.deepEqual(findFonts({ [FONT_VARIABLE]: '/no/such/font.ttf' }), findFonts({}));
    if (existsSync(file)) assert.equal(fontsDrawText({ loadSystemFonts: false, fontFiles: [file] }), true);
  });
});

describe('a machine without a usable font', () => {
  test('figures are still written, PNG without text, and one warning says how to get text', () => {
    const dir = tempDir();
    const notAFont = join(dir, 'not-a-font.ttf');
    writeFileSync(notAFont, 'these bytes are no font');
    const script = `require(${JSON.stringify(join(__dirname, 'render-vega-lite.js'))}).writeFigure(process.argv[1], 'chart', ${JSON.stringify(SPEC)}).then(() => require(${JSON.stringify(join(__dirname, 'render-vega-lite.js'))}).writeFigure(process.argv[1], 'again', ${JSON.stringify(SPEC)}))`;
    const result = spawnSync(process.execPath, ['-e', script, dir], { encoding: 'utf8', env: { ...process.env, [FONT_VARIABLE]: notAFont } });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr.match(/warning: no usable font found/g)?.length, 1, result.stderr);
    assert.match(result.stderr, /SRNN_PLOT_FONT/);
    const png = readFileSync(join(dir, 'chart.png'));
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.deepEqual(png, svgToPng(readFileSync(join(dir, 'chart.svg'), 'utf8'), NO_FONTS), 'the same pixels as with no font at all');
  });
});

describe('writing a figure', () => {
  test('writes <name>.svg, <name>.png and <name>.vl.json and nothing else (no temporary files left)', async () => {
    const dir = tempDir();
    const files = await writeFigure(dir, 'chart', SPEC);
    assert.deepEqual(
      files,
      ['chart.svg', 'chart.png', 'chart.vl.json'].map((f) => join(dir, f)),
    );
    assert.deepEqual(readdirSync(dir).sort(), ['chart.png', 'chart.svg', 'chart.vl.json']);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'chart.vl.json'), 'utf8')), SPEC);
  });

  test('rewriting replaces the files whole', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'chart.svg'), 'stale');
    await writeFigure(dir, 'chart', SPEC);
    assert.equal(readFileSync(join(dir, 'chart.svg'), 'utf8'), await vegaLiteToSvg(SPEC));
    assert.deepEqual(readdirSync(dir).sort(), ['chart.png', 'chart.svg', 'chart.vl.json']);
  });

  test('a spec that fails to render writes nothing', async () => {
    const dir = tempDir();
    const broken = { ...SPEC, data: { values: [] }, mark: 'no-such-mark' } as unknown as TopLevelSpec;
    await assert.rejects(writeFigure(dir, 'chart', broken));
    assert.deepEqual(readdirSync(dir), []);
  });
});
