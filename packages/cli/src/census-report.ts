import { PARTICLE_CLASSES, type RunResult } from '@srnn/core';

/** What `srnn run` and `srnn resume` print once a run has finished: the final census and where the results are. */
export function censusReport(result: RunResult, size: number, out: string): string {
  const rows = PARTICLE_CLASSES.map((c) => `  ${c.padEnd(13)} ${String(result.census[c]).padStart(7)}  ${((100 * result.census[c]) / size).toFixed(1).padStart(5)} %`);
  return `census after ${(result.elapsedMs / 1000).toFixed(2)} s:\n${rows.join('\n')}\nresults: ${out}\n`;
}
