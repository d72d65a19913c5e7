import type { ResolvedScenario } from '@srnn/core';

/** Small helpers the analysis figures share (the figures themselves live in the experiment plugins). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A noise level as a short label: 1e-3 for decades, else three significant digits (2.5e-4). */
export function levelLabel(level: number): string {
  const exponent = Math.round(Math.log10(level));
  if (Number(`1e${exponent}`) === level) return `1e${exponent}`;
  return level
    .toExponential(2)
    .replace(/\.?0+e/, 'e')
    .replace('e+', 'e');
}

/** A one-line description of a run for subtitles: `robustness-hand-made: 1 × weightwise, robustness`. */
export function runLabel(scenario: ResolvedScenario): string {
  const what = `${scenario.population.size} × ${scenario.architecture.type}, ${scenario.experiment.type}`;
  return scenario.name ? `${scenario.name}: ${what}` : what;
}
