import type { Figure } from './figure';
import type { PluginRegistry } from './registry';
import type { ResolvedScenario } from './scenario/schema';

/** One figure to draw: a figure plugin and its options. */
export interface FigureJob {
  readonly figure: Figure;
  readonly options: Record<string, unknown>;
}

/** The figures of a results directory: the automatic ones (unless listed), then those the scenario lists. */
export function figureJobs(scenario: ResolvedScenario, registry: PluginRegistry): FigureJob[] {
  const listed = scenario.figures ?? [];
  const automatic = registry.figures.filter((f) => f.automatic && !listed.some((spec) => spec.type === f.type));
  return [
    ...automatic.map((figure) => ({ figure, options: figure.optionsSchema.parse({}) as Record<string, unknown> })),
    ...listed.map((spec) => ({ figure: registry.figure(spec.type), options: spec })),
  ];
}

/** Draws the automatic figures and those the scenario lists into a results directory; returns the files written. */
export async function renderFigures(dir: string, scenario: ResolvedScenario, registry: PluginRegistry): Promise<string[]> {
  const written: string[] = [];
  for (const { figure, options } of figureJobs(scenario, registry)) written.push(...(await figure.render(dir, scenario, options)));
  return written;
}
