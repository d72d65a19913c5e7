import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { PARTICLE_CLASSES, type Census, type RunEvent, type RunEventKind, type RunEventOf, type RunInfo, type OutputSink } from '@srnn/core';
import { writeFileAtomic } from '../results/atomic-file';
import { sinkDone } from './on-event';

/** The header line of census.csv. */
export const CENSUS_HEADER = ['step', ...PARTICLE_CLASSES, 'mean_loss'].join(',');

/** The line of census.csv of one census. */
export function censusLine(event: RunEventOf<'census'>): string {
  return [event.step, ...PARTICLE_CLASSES.map((c) => event.census[c]), event.meanLoss ?? ''].join(',');
}

/** census.csv (census over time) and summary.json (the final census and the run's identity). */
@injectable()
export class CensusSink implements OutputSink {
  readonly name = 'census';

  kinds(): readonly RunEventKind[] {
    return ['run-started', 'census', 'run-finished'];
  }

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    const rows: string[] = [CENSUS_HEADER];
    let info: RunInfo | undefined;
    return sinkDone(events$, (event) => {
      if (event.kind === 'run-started') info = event.info;
      if (event.kind === 'census') {
        rows.push(censusLine(event));
      }
      if (event.kind === 'run-finished' && info) {
        writeFileAtomic(join(dir, 'census.csv'), rows.join('\n') + '\n');
        writeFileAtomic(join(dir, 'summary.json'), JSON.stringify({ ...summary(info, event.census, event.elapsedMs), ...(event.stopped && { stopped: event.stopped }) }, null, 2) + '\n');
      }
    });
  }
}

function summary(info: RunInfo, census: Census, elapsedMs: number) {
  const { scenario } = info;
  const size = scenario.population.size;
  return {
    name: scenario.name ?? null,
    srnnVersion: info.srnnVersion,
    backend: info.backend,
    seed: scenario.seed,
    architecture: scenario.architecture.type,
    experiment: scenario.experiment.type,
    populationSize: size,
    weightCount: info.weightCount,
    census,
    fractions: Object.fromEntries(PARTICLE_CLASSES.map((c) => [c, census[c] / size])),
    elapsedMs: Math.round(elapsedMs),
  };
}
