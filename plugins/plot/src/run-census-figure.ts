import { injectable } from 'inversify';
import { z } from 'zod';
import type { Figure, ResolvedScenario } from '@srnn/core';
import { writeFigure, type TopLevelSpec } from './render-vega-lite';
import { readCensus, type CensusRow } from './results-data';

/** The options of a figure whose one option is its title. */
export const titleOptionSchema = (defaultTitle: string) => z.object({ title: z.string().optional().describe(`figure title (default: ${defaultTitle})`) }).strict();
export type TitleOptionSchema = ReturnType<typeof titleOptionSchema>;

/** A figure of a single run drawn from its census.csv, automatically, with its title as its one option. */
@injectable()
export abstract class RunCensusFigure implements Figure<TitleOptionSchema> {
  abstract readonly type: string;
  abstract readonly description: string;
  abstract readonly optionsSchema: TitleOptionSchema;
  readonly automatic = true;

  async render(dir: string, scenario: ResolvedScenario, { title }: z.output<TitleOptionSchema>): Promise<string[]> {
    const rows = readCensus(dir);
    const spec = rows && this.spec(rows, scenario, title);
    return spec ? writeFigure(dir, this.type, spec) : [];
  }

  /** The spec, or undefined when the census has nothing for this figure to draw. */
  protected abstract spec(rows: readonly CensusRow[], scenario: ResolvedScenario, title: string | undefined): TopLevelSpec | undefined;
}
