import type { z } from 'zod';
import { pluginOptions, type Figure, type FigureFailureHandler, type PluginRegistry, type ResolvedScenario } from '@srnn/core';

/** One figure to draw: a figure plugin and its options. */
export interface FigureJob {
  readonly figure: Figure;
  /** Parsed by the figure's schema: the listed entry without `type`, or the defaults. */
  readonly options: z.output<z.ZodObject>;
}

export type { FigureFailureHandler } from '@srnn/core';

/** A figure that could not be drawn into a results directory: its type, the directory, the error. */
export type FigureFailure = Parameters<FigureFailureHandler>[0];

/** The figures of a results directory: the automatic ones (unless listed), then those the scenario lists. */
export function figureJobs(scenario: ResolvedScenario, registry: PluginRegistry): FigureJob[] {
  const listed = scenario.figures ?? [];
  const automatic = registry.figures.filter((f) => f.automatic && !listed.some((spec) => spec.type === f.type));
  return [
    ...automatic.map((figure) => ({ figure, options: pluginOptions(figure, {}) })),
    ...listed.map((spec) => {
      const figure = registry.figure(spec.type);
      return { figure, options: pluginOptions(figure, spec) };
    }),
  ];
}

/**
 * Draws the automatic figures and those the scenario lists into a results directory; returns the
 * files written. A figure that throws rejects — or, with `onFailure`, is reported there and skipped.
 */
export async function renderFigures(dir: string, scenario: ResolvedScenario, registry: PluginRegistry, onFailure?: FigureFailureHandler): Promise<string[]> {
  const written: string[] = [];
  for (const { figure, options } of figureJobs(scenario, registry)) {
    try {
      written.push(...(await figure.render(dir, scenario, options)));
    } catch (error) {
      if (!onFailure) throw error;
      onFailure({ figure: figure.type, dir, error });
    }
  }
  return written;
}

/** The one line a figure failure is reported with: what failed, why, and that the results are kept. */
export function figureFailureMessage(figure: string, dir: string, error: unknown): string {
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return `warning: figure ${figure} of ${dir} was not drawn: ${reason}; the results are kept (redraw with: srnn plot ${dir})`;
}
