import type { z } from 'zod';
import type { ResolvedScenario } from './scenario/schema';

/**
 * Extension point: a figure drawn from the files of a results directory (a run's or a sweep's).
 * Scenarios list figures under `figures:`; `automatic` figures are drawn for every result that
 * holds their data. `srnn plot <dir>` redraws them from saved results.
 */
export const Figure = Symbol('Figure');
export interface Figure {
  readonly type: string;
  readonly description: string;
  readonly optionsSchema: z.ZodObject;
  /** Drawn (with default options) for every results directory, without being listed. */
  readonly automatic: boolean;
  /**
   * Writes the figure's files (e.g. `<name>.svg`, `<name>.png`) into `dir`, reading the results
   * there; returns the files written, none when the results lack the figure's data.
   */
  render(dir: string, scenario: ResolvedScenario, options: Record<string, unknown>): Promise<string[]>;
}
