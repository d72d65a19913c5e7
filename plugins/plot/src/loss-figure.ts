import { injectable } from 'inversify';
import type { ResolvedScenario } from '@srnn/core';
import { extent, runLabel, thinned, VEGA_LITE_SCHEMA } from './figure-support';
import type { TopLevelSpec } from './render-vega-lite';
import type { CensusRow } from './results-data';
import { RunCensusFigure, titleOptionSchema } from './run-census-figure';

/** A run's mean training loss over its steps, log scale (the mean_loss column of census.csv). */
@injectable()
export class LossFigure extends RunCensusFigure {
  readonly type = 'loss';
  readonly description = 'mean training loss of a run over time, log scale (from census.csv; none when the experiment reports no loss)';
  readonly optionsSchema = titleOptionSchema('mean loss');

  protected spec(rows: readonly CensusRow[], scenario: ResolvedScenario, title: string | undefined): TopLevelSpec | undefined {
    return rows.some(plottable) ? lossSpec(rows, scenario, title) : undefined;
  }
}

/** A log scale shows positive finite losses only. */
function plottable(row: CensusRow): boolean {
  return row.meanLoss !== null && Number.isFinite(row.meanLoss) && row.meanLoss > 0;
}

/** The spec; of a long run, every k-th census is drawn (at most MAX_DRAWN_CENSUSES, the subtitle says so). */
export function lossSpec(rows: readonly CensusRow[], scenario: ResolvedScenario, title = 'mean loss'): TopLevelSpec {
  const plotted = rows.filter(plottable);
  const zero = rows.filter((r) => r.meanLoss === 0).length;
  // ticks and grid lines at powers of ten only, over every census (drawn or not)
  const logs = extent(plotted.map((r) => Math.log10(r.meanLoss!)));
  const low = Math.floor(logs.min);
  const high = Math.max(low + 1, Math.ceil(logs.max));
  const decades = Array.from({ length: high - low + 1 }, (_, i) => Number(`1e${low + i}`)); // 1e-5, not 10 ** -5 = 0.000009999…
  const drawn = thinned(plotted);
  const shown = drawn.rows;
  const subtitle = [runLabel(scenario), ...(zero > 0 ? [`${zero} censuses with loss 0 not shown (log scale)`] : []), ...drawn.note];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle },
    width: 480,
    height: 260,
    data: { values: shown.map((r) => ({ step: r.step, loss: r.meanLoss })) },
    mark: { type: 'line', color: '#333333', point: shown.length <= 60 ? { color: '#333333', size: 20 } : false },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', title: 'mean loss', scale: { type: 'log', domain: [decades[0], decades[decades.length - 1]] }, axis: { values: decades, format: '.0e' } },
    },
  };
}
