import { injectable } from 'inversify';
import { PARTICLE_CLASSES, type ResolvedScenario } from '@srnn/core';
import { classColourScale } from './class-colours';
import { extent, runLabel, thinned, VEGA_LITE_SCHEMA } from './figure-support';
import type { TopLevelSpec } from './render-vega-lite';
import type { CensusRow } from './results-data';
import { RunCensusFigure, titleOptionSchema } from './run-census-figure';

/** The five class counts of a single run over its steps, as stacked areas (census.csv). */
@injectable()
export class CensusOverTimeFigure extends RunCensusFigure {
  readonly type = 'census-over-time';
  readonly description = 'census of a run over time: the five class counts as stacked areas (from census.csv)';
  readonly optionsSchema = titleOptionSchema('census over time');

  protected spec(rows: readonly CensusRow[], scenario: ResolvedScenario, title: string | undefined): TopLevelSpec | undefined {
    return rows.length > 0 ? censusOverTimeSpec(rows, scenario, title) : undefined;
  }
}

/** The spec; of a long run, every k-th census is drawn (at most MAX_DRAWN_CENSUSES, the subtitle says so). */
export function censusOverTimeSpec(rows: readonly CensusRow[], scenario: ResolvedScenario, title = 'census over time'): TopLevelSpec {
  const size = extent(rows.map((r) => PARTICLE_CLASSES.reduce((sum, c) => sum + r.counts[c], 0))).max;
  const single = rows.length === 1; // an area needs two steps; one census is drawn as a bar
  const drawn = thinned(rows);
  const note = drawn.note;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: note.length > 0 ? [runLabel(scenario), ...note] : runLabel(scenario) },
    width: single ? { step: 60 } : 480,
    height: 260,
    data: { values: drawn.rows.flatMap((r) => PARTICLE_CLASSES.map((c, i) => ({ step: r.step, class: c, order: i, count: r.counts[c] }))) },
    mark: single ? { type: 'bar' } : { type: 'area', interpolate: 'linear' },
    encoding: {
      x: single ? { field: 'step', type: 'ordinal', title: 'step', axis: { labelAngle: 0 } } : { field: 'step', type: 'quantitative', title: 'step', axis: { tickMinStep: 1 } },
      y: { field: 'count', type: 'quantitative', stack: 'zero', title: 'particles', scale: { domain: [0, size], nice: false } },
      color: { field: 'class', type: 'nominal', title: 'class', scale: classColourScale(), sort: [...PARTICLE_CLASSES] },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}
