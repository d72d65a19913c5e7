import { injectable } from 'inversify';
import { z } from 'zod';
import { PARTICLE_CLASSES, type Figure, type ParticleClass, type ResolvedScenario } from '@srnn/core';
import { CLASS_COLOURS } from './class-colours';
import { extent, fileNameOption, meanAndStd, VEGA_LITE_SCHEMA } from './figure-support';
import { writeFigure, type TopLevelSpec } from './render-vega-lite';
import { fractionOf, label, orderedLabels, readSweepRuns, valueAt, type SweepRun } from './results-data';

const optionsSchema = z
  .object({
    class: z
      .union([
        z.enum(PARTICLE_CLASSES),
        z
          .array(z.enum(PARTICLE_CLASSES))
          .min(1)
          .refine((list) => new Set(list).size === list.length, 'each class at most once'),
      ])
      .default('fixpoint')
      .describe('the class whose fraction is plotted, or a list of classes whose fractions are summed (e.g. [zero, fixpoint]: fixpoints of either kind)'),
    label: z.string().min(1).optional().describe('name of the plotted quantity in the axis, tooltip and default title (default: the class, or the classes joined by " + ")'),
    x: z.string().min(1).optional().describe('key path of the parameter on the x axis (default: the first swept parameter with numeric values)'),
    series: z.string().min(1).optional().describe('key path with one line per value (default: the first other swept parameter, if any)'),
    spread: z.enum(['std', 'range', 'none']).default('std').describe('band around each line: mean ± 1 standard deviation of the runs, their min–max range, or none'),
    title: z.string().optional().describe('figure title (default: <class> fraction vs <x>)'),
    name: fileNameOption,
  })
  .strict();
type FractionLinesOptions = z.infer<typeof optionsSchema>;

/** Mean fraction of one class (or of several summed) against a parameter, one line per value of another, with the spread over runs as a band (a sweep's runs). */
@injectable()
export class FractionLinesFigure implements Figure<typeof optionsSchema> {
  readonly type = 'fraction-lines';
  readonly description = 'mean fraction of one class (or the sum of several) vs a swept parameter, one line per value of another, band = spread over replicates (sweep results)';
  readonly optionsSchema = optionsSchema;
  readonly automatic = false;

  async render(dir: string, scenario: ResolvedScenario, parsed: z.output<typeof optionsSchema>): Promise<string[]> {
    const runs = readSweepRuns(dir, scenario);
    if (!runs) return [];
    const spec = fractionLinesSpec(runs, scenario, parsed);
    return spec ? writeFigure(dir, parsed.name ?? this.type, spec) : [];
  }
}

/** The spec, or undefined when there is no parameter to plot against or no run with a census. */
export function fractionLinesSpec(runs: readonly SweepRun[], scenario: ResolvedScenario, options: Partial<FractionLinesOptions> = {}): TopLevelSpec | undefined {
  const classes: readonly ParticleClass[] = typeof options.class === 'string' ? [options.class] : (options.class ?? ['fixpoint']);
  const what = options.label ?? classes.join(' + ');
  const fractionOfRun = (run: SweepRun) => {
    const parts = classes.map((c) => fractionOf(run, c));
    return parts.every((f) => f !== undefined) ? parts.reduce((a, b) => a! + b!, 0) : undefined;
  };
  const swept = Object.keys(scenario.sweep ?? {});
  const numeric = (key: string) => runs.every((run) => typeof valueAt(run, key, scenario) === 'number');
  const x = options.x ?? swept.find(numeric) ?? swept[0];
  if (x === undefined) return undefined;
  const seriesKey = options.series ?? swept.find((key) => key !== x);
  const usable = runs.filter((run) => valueAt(run, x, scenario) !== undefined && fractionOfRun(run) !== undefined);
  if (usable.length === 0) return undefined;
  const series = seriesKey !== undefined && usable.some((run) => valueAt(run, seriesKey, scenario) !== undefined) ? seriesKey : undefined;

  const quantitative = usable.every((run) => typeof valueAt(run, x, scenario) === 'number');
  const xOrder = orderedLabels(
    x,
    usable.map((run) => valueAt(run, x, scenario)),
    scenario,
  );
  const seriesOrder = series
    ? orderedLabels(
        series,
        usable.map((run) => valueAt(run, series, scenario)),
        scenario,
      )
    : [''];
  const values = seriesOrder.flatMap((seriesLabel) =>
    xOrder.flatMap((xLabel) => {
      const group = usable.filter((run) => label(valueAt(run, x, scenario)) === xLabel && (!series || label(valueAt(run, series, scenario)) === seriesLabel));
      if (group.length === 0) return [];
      const fractions = group.map((run) => fractionOfRun(run)!);
      const { mean, std } = meanAndStd(fractions);
      const range = extent(fractions);
      const [lower, upper] = options.spread === 'range' ? [range.min, range.max] : [mean - std, mean + std];
      return [{ x: quantitative ? (valueAt(group[0], x, scenario) as number) : xLabel, series: seriesLabel, mean, std, lower: Math.max(0, lower), upper: Math.min(1, upper), runs: group.length }];
    }),
  );

  const spread = options.spread ?? 'std';
  const xEncoding = quantitative ? { field: 'x', type: 'quantitative' as const, title: x } : { field: 'x', type: 'ordinal' as const, title: x, sort: xOrder };
  const yScale = { domain: [0, 1], nice: false };
  const colour = series ? { field: 'series', type: 'nominal' as const, title: series, sort: seriesOrder, legend: { symbolOpacity: 1 } } : { value: CLASS_COLOURS[classes[0]] };
  const line = {
    mark: { type: 'line' as const, point: true },
    encoding: {
      y: { field: 'mean', type: 'quantitative' as const, title: `fraction ${what}`, scale: yScale, axis: { format: '%' } },
      tooltip: [{ field: 'x', title: x }, ...(series ? [{ field: 'series', title: series }] : []), { field: 'mean', title: what, format: '.1%' }, { field: 'std', format: '.1%' }, { field: 'runs' }],
    },
  };
  const band = {
    mark: { type: 'area' as const, opacity: 0.2 },
    encoding: { y: { field: 'lower', type: 'quantitative' as const, scale: yScale }, y2: { field: 'upper' } },
  };
  const spreadText = spread === 'std' ? 'band: ± 1 standard deviation over runs' : spread === 'range' ? 'band: min–max over runs' : undefined;
  const perPoint = [...new Set(values.map((v) => v.runs))].sort((a, b) => a - b);
  const runsText = perPoint.length === 1 ? `${perPoint[0]}` : `${perPoint[0]}–${perPoint[perPoint.length - 1]}`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: options.title ?? `${what} fraction vs ${x}`, subtitle: [`${scenario.experiment.type}; mean over ${runsText} runs per point`, ...(spreadText ? [spreadText] : [])] },
    width: 480,
    height: 260,
    data: { values },
    encoding: { x: xEncoding, color: colour },
    layer: spread === 'none' ? [line] : [band, line],
  };
}
