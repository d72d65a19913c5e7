import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { writeFileAtomic } from '@srnn/runner';
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { figureFonts, resvgFontOptions, type FontSetup } from './fonts';

export type { TopLevelSpec };

/** PNG pixels per SVG pixel. */
export const PNG_SCALE = 2;

// vega and vega-lite are ES modules; this package is CommonJS, so they are loaded with import().
type Vega = typeof import('vega', { with: { 'resolution-mode': 'import' } });
type VegaLite = typeof import('vega-lite', { with: { 'resolution-mode': 'import' } });
let engines: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

function loadEngines() {
  engines ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return engines;
}

/** Compiles a Vega-Lite spec and renders it server-side (no browser, no canvas) to SVG text. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await loadEngines();
  const compiled = vegaLite.compile(structuredClone(spec)).spec; // vega tags data objects: keep the caller's spec clean
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    vega.resetSVGDefIds(); // clip-path and gradient ids count from 1 in every figure: same data, same SVG
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG text to PNG bytes on a white background, at PNG_SCALE. */
export function svgToPng(svg: string, fonts: FontSetup = figureFonts()): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: PNG_SCALE }, background: 'white', font: resvgFontOptions(fonts), logLevel: 'off' });
  return resvg.render().asPng();
}

/**
 * Writes `<name>.svg`, `<name>.png` and the spec `<name>.vl.json` into `dir`, each atomically,
 * after all three have been produced; returns their paths.
 */
export async function writeFigure(dir: string, name: string, spec: TopLevelSpec): Promise<string[]> {
  const svg = await vegaLiteToSvg(spec);
  const png = svgToPng(svg);
  const files: [string, string | Buffer][] = [
    [join(dir, `${name}.svg`), svg],
    [join(dir, `${name}.png`), png],
    [join(dir, `${name}.vl.json`), JSON.stringify(spec, null, 2) + '\n'],
  ];
  for (const [path, content] of files) writeFileAtomic(path, content);
  return files.map(([path]) => path);
}
