import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import { stringify } from 'yaml';
import type { RunEvent, RunEventKind, OutputSink } from '@srnn/core';
import { writeFileAtomic } from '../results/atomic-file';
import { sinkDone } from './on-event';

/** scenario.resolved.yaml: the scenario with every default filled in, plus srnn version and backend. */
@injectable()
export class ResolvedScenarioSink implements OutputSink {
  readonly name = 'resolved-scenario';

  kinds(): readonly RunEventKind[] {
    return ['run-started'];
  }

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    return sinkDone(events$, (event) => {
      if (event.kind !== 'run-started') return;
      const { scenario, srnnVersion, backend } = event.info;
      const header = `# resolved by srnn ${srnnVersion}; rerun with: srnn run scenario.resolved.yaml\n`;
      const body = stringify({ ...scenario, srnn: { version: srnnVersion, backend } }, { lineWidth: 0 });
      writeFileAtomic(join(dir, 'scenario.resolved.yaml'), header + body);
    });
  }
}
