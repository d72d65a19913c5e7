import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { injectable } from 'inversify';
import type { Observable } from 'rxjs';
import type { OutputSink, ResolvedScenario, RunEvent, RunEventKinds } from '@srnn/core';
import { sinkDone } from './on-event';

/** events.jsonl (when the scenario asks with `output: { events: true }`): one JSON line per event. */
@injectable()
export class EventsSink implements OutputSink {
  readonly name = 'events';

  /** Every kind, detail included, when the scenario asks for events.jsonl; else none. */
  kinds(scenario: ResolvedScenario): RunEventKinds {
    return scenario.output.events ? 'all' : ['run-started'];
  }

  attach(events$: Observable<RunEvent>, dir: string): Promise<void> {
    let fd: number | undefined;
    return sinkDone(events$, (event) => {
      if (event.kind === 'run-started' && event.info.scenario.output.events) fd = openSync(join(dir, 'events.jsonl'), 'w');
      if (fd === undefined || event.kind === 'progress') return;
      try {
        writeSync(fd, JSON.stringify(event, jsonReplacer) + '\n');
      } catch (error) {
        // a failed write (disk full) fails the run: the file is not kept open meanwhile
        closeSync(fd);
        fd = undefined;
        throw error;
      }
      if (event.kind === 'run-finished' || event.kind === 'run-failed') {
        closeSync(fd);
        fd = undefined;
      }
    });
  }
}

function jsonReplacer(key: string, value: unknown): unknown {
  if (key === 'population') return undefined; // the final weights are in weights.json
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as Float32Array);
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
