import { readFileSync } from 'node:fs';
import type { Projection } from './projection';
import { axisTitle, seriesColours, thinned } from './projection';

let plotlySource: string | undefined;

/** plotly.js (the minified distribution in node_modules), made safe to inline in a <script> element. */
export function inlinePlotly(): string {
  plotlySource ??= readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8')
    .replace(/<\/script/gi, '<\\/script')
    .replace(/<!--/g, '<\\!--');
  return plotlySource;
}

export interface HtmlOptions {
  readonly title: string;
  readonly subtitle: string;
  /** Rows drawn per trajectory at most (evenly thinned; start and end always kept). */
  readonly maxPoints: number;
}

/**
 * A self-contained interactive HTML page: the trajectories in 3D — the first two components of the
 * shared PCA and the step as the third axis — each start marked red, each end black, one legend
 * entry per series. plotly.js is inlined, so the page needs no network access.
 */
export function trajectoriesHtml(projection: Projection, options: HtmlOptions): string {
  const colours = seriesColours(projection.series);
  const traces: Record<string, unknown>[] = projection.series.map((series, s) => {
    const x: (number | null)[] = [];
    const y: (number | null)[] = [];
    const z: (number | null)[] = [];
    const text: (string | null)[] = [];
    for (const t of projection.trajectories) {
      if (t.series !== series) continue;
      for (const k of thinned(t.steps.length, options.maxPoints)) {
        x.push(finite(t.x[k]));
        y.push(finite(t.y[k]));
        z.push(t.steps[k]);
        text.push(`${t.role} ${t.id}`);
      }
      x.push(null);
      y.push(null);
      z.push(null);
      text.push(null);
    }
    return { type: 'scatter3d', mode: 'lines', name: series, x, y, z, text, hoverinfo: 'text+x+y+z', line: { color: colours[s], width: 3 }, connectgaps: false };
  });
  const ends = (which: 'start' | 'end') => {
    const pick = (n: number) => (which === 'start' ? 0 : n - 1);
    const ts = projection.trajectories.filter((t) => t.steps.length > 0);
    return {
      type: 'scatter3d',
      mode: 'markers',
      name: which,
      x: ts.map((t) => finite(t.x[pick(t.steps.length)])),
      y: ts.map((t) => finite(t.y[pick(t.steps.length)])),
      z: ts.map((t) => t.steps[pick(t.steps.length)]),
      text: ts.map((t) => `${which} of ${t.role} ${t.id}${which === 'end' && t.class ? ` (${t.class})` : ''}`),
      hoverinfo: 'text',
      marker: { color: which === 'start' ? '#d62728' : '#000000', size: 3 },
    };
  };
  traces.push(ends('start'), ends('end'));
  const layout = {
    title: { text: `${escapeHtml(options.title)}<br><sup>${escapeHtml(options.subtitle)}</sup>` },
    scene: {
      xaxis: { title: { text: axisTitle(projection.pca, 0) } },
      yaxis: { title: { text: axisTitle(projection.pca, 1) } },
      zaxis: { title: { text: 'step' } },
      camera: { eye: { x: 1.6, y: 1.6, z: 0.9 } },
    },
    legend: { itemsizing: 'constant' },
    margin: { l: 0, r: 0, b: 0, t: 60 },
  };
  const figure = JSON.stringify({ data: traces, layout }).replace(/</g, '\\u003c');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(options.title)}</title>`,
    '<style>html, body { margin: 0; height: 100%; font-family: sans-serif; } #plot { width: 100%; height: 100%; }</style>',
    `<script>${inlinePlotly()}</script>`,
    '</head>',
    '<body>',
    '<div id="plot"></div>',
    `<script>const figure = ${figure};\nPlotly.newPlot('plot', figure.data, figure.layout, { responsive: true });</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Coordinates to 7 significant digits (float32 carries no more), non-finite ones as gaps. */
function finite(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(7)) : null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
