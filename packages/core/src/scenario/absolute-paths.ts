import { resolve } from 'node:path';
import type { ResolvedScenario } from './schema';

/** Paths in a scenario are relative to its file; the resolved scenario holds them absolute so that it can be rerun from anywhere. */
export function withAbsolutePaths(scenario: ResolvedScenario, base: string): ResolvedScenario {
  const { init } = scenario.population;
  return {
    ...scenario,
    plugins: scenario.plugins.map((path) => resolve(base, path)),
    population: typeof init === 'object' && 'file' in init ? { ...scenario.population, init: { file: resolve(base, init.file) } } : scenario.population,
  };
}
