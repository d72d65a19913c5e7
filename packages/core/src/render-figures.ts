import type { PluginRegistry } from './registry';
import type { ResolvedScenario } from './scenario/schema';

/** Draws the automatic figures and those the scenario lists into a results directory; returns the files written. */
export async function renderFigures(dir: string, scenario: ResolvedScenario, registry: PluginRegistry): Promise<string[]> {
  const listed = scenario.figures ?? [];
  const automatic = registry.figures.filter((f) => f.automatic && !listed.some((spec) => spec.type === f.type));
  const jobs = [
    ...automatic.map((figure) => ({ figure, options: figure.optionsSchema.parse({}) as Record<string, unknown> })),
    ...listed.map((spec) => ({ figure: registry.figure(spec.type), options: spec })),
  ];
  const written: string[] = [];
  for (const { figure, options } of jobs) written.push(...(await figure.render(dir, scenario, options)));
  return written;
}
