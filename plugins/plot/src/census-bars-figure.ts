import { injectable } from 'inversify';
import { z } from 'zod';
import { PARTICLE_CLASSES, type Figure, type ResolvedScenario } from '@srnn/core';
import { classColourScale } from './class-colours';
import { fileNameOption, VEGA_LITE_SCHEMA } from './figure-support';
import { writeFigure, type TopLevelSpec } from './render-vega-lite';
import { fractionOf, label, orderedLabels, readSweepRuns, valueAt, type SweepRun } from './results-data';

const optionsSchema = z
  .object({
    x: z.string().min(1).default('architecture.type').describe('key path of the parameter along the x axis, e.g. architecture.type'),
    column: z.string().min(1).optional().describe('key path with one panel of bars per value, side by side (e.g. architecture.type when x is another swept key)'),
    title: z.string().optional().describe('figure title (default: census per <x>)'),
    name: fileNameOption,
  })
  .strict();

/** One bar per value of a swept parameter: the mean census of its runs as fractions, stacked by class (a sweep's runs). */
@injectable()
export class CensusBarsFigure implements Figure<typeof optionsSchema> {
  readonly type = 'census-bars';
  readonly description = 'stacked bars of the final census (fractions, mean over runs) per value of a swept parameter (sweep results)';
  readonly optionsSchema = optionsSchema;
  readonly automatic = false;

  async render(dir: string, scenario: ResolvedScenario, parsed: z.output<typeof optionsSchema>): Promise<string[]> {
    const runs = readSweepRuns(dir, scenario);
    if (!runs) return [];
    const spec = censusBarsSpec(runs, scenario, parsed.x, parsed.title, parsed.column);
    return spec ? writeFigure(dir, parsed.name ?? this.type, spec) : [];
  }
}

/** The spec, or undefined when no run has the parameter and a census. With `column`, one panel per value of that key path. */
export function censusBarsSpec(runs: readonly SweepRun[], scenario: ResolvedScenario, x: string, title = `census per ${x}`, column?: string): TopLevelSpec | undefined {
  const usable = runs.filter(
    (run) => valueAt(run, x, scenario) !== undefined && (column === undefined || valueAt(run, column, scenario) !== undefined) && PARTICLE_CLASSES.every((c) => fractionOf(run, c) !== undefined),
  );
  if (usable.length === 0) return undefined;
  const order = orderedLabels(
    x,
    usable.map((run) => valueAt(run, x, scenario)),
    scenario,
  );
  const panels =
    column === undefined
      ? [undefined]
      : orderedLabels(
          column,
          usable.map((run) => valueAt(run, column, scenario)),
          scenario,
        );
  const values = panels.flatMap((panel) =>
    order.flatMap((xLabel) => {
      const group = usable.filter((run) => label(valueAt(run, x, scenario)) === xLabel && (column === undefined || label(valueAt(run, column, scenario)) === panel));
      if (group.length === 0) return [];
      return PARTICLE_CLASSES.map((c, i) => ({
        x: xLabel,
        ...(panel === undefined ? {} : { panel }),
        class: c,
        order: i,
        fraction: group.reduce((sum, run) => sum + fractionOf(run, c)!, 0) / group.length,
        runs: group.length,
      }));
    }),
  );
  const perBar = [...new Set(values.map((v) => v.runs))].sort((a, b) => a - b);
  const runsText = perBar.length === 1 ? `${perBar[0]}` : `${perBar[0]}–${perBar[perBar.length - 1]}`;
  const header = {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: `${scenario.experiment.type}; mean over ${runsText} run${perBar[perBar.length - 1] === 1 ? '' : 's'} per bar` },
    data: { values },
  };
  // panels get narrower bars, but wide enough for their axis labels
  const bars = censusBarsLayer(x, order, column === undefined ? 56 : Math.max(20, Math.min(56, 9 * Math.max(...order.map((l) => l.length)))));
  if (column === undefined) return { ...header, ...bars } as TopLevelSpec;
  return { ...header, facet: { column: { field: 'panel', type: 'nominal', title: column, sort: panels } }, spec: bars } as TopLevelSpec;
}

function censusBarsLayer(x: string, order: readonly string[], step: number) {
  return {
    width: { step },
    height: 260,
    mark: { type: 'bar' as const },
    encoding: {
      x: { field: 'x', type: 'nominal', title: x, sort: order, axis: { labelAngle: order.some((l) => l.length > 8) ? -30 : 0 } },
      y: { field: 'fraction', type: 'quantitative', stack: 'zero', title: 'fraction of particles', scale: { domain: [0, 1], nice: false }, axis: { format: '%' } },
      color: { field: 'class', type: 'nominal', title: 'class', scale: classColourScale(), sort: [...PARTICLE_CLASSES] },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [{ field: 'x', title: x }, { field: 'class' }, { field: 'fraction', format: '.1%' }, { field: 'runs' }],
    },
  };
}
