import type { z } from 'zod';
import type { ResolvedScenario } from './scenario/schema';

/**
 * Extension point: a figure drawn from the files of a results directory (a run's or a sweep's).
 * Scenarios list figures under `figures:`; `automatic` figures are drawn for every result that
 * holds their data. `srnn plot <dir>` redraws them from saved results.
 */
export const Figure = Symbol('Figure');
export interface Figure<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  readonly description: string;
  /** The figure's options (every key of its `figures:` entry but `type`), with defaults. */
  readonly optionsSchema: S;
  /** Drawn (with default options) for every results directory, without being listed. */
  readonly automatic: boolean;
  /**
   * Writes the figure's files (e.g. `<name>.svg`, `<name>.png`) into `dir`, reading the results
   * there; returns the files written, none when the results lack the figure's data. `options`: its
   * `figures:` entry without `type`, parsed by `optionsSchema` (for an automatic one, the defaults).
   */
  render(dir: string, scenario: ResolvedScenario, options: z.output<S>): Promise<string[]>;
}

/** Told of each figure (its type) that failed in results directory `dir`; the other figures and the results are kept. Without one, a failing figure rejects. */
export type FigureFailureHandler = (failure: { readonly figure: string; readonly dir: string; readonly error: unknown }) => void;
