import type { Observable } from 'rxjs';
import type { RunEvent, RunEventKinds } from './events';
import type { ResolvedScenario } from './scenario/schema';

/**
 * Extension point: writes part of a results directory from a run's events. Sinks write into a
 * temporary directory that becomes the results directory only when every sink has finished.
 */
export const OutputSink = Symbol('OutputSink');
export interface OutputSink {
  readonly name: string;
  /**
   * The event kinds the sink reads from a run of `scenario` (`all`: every kind). Detail events are
   * produced only when somebody asked for their kind, so a sink names only what it writes.
   */
  kinds(scenario: ResolvedScenario): RunEventKinds;
  /** Subscribes to events$ — the run's events of the declared kinds — before the run starts; resolves once its files are written. */
  attach(events$: Observable<RunEvent>, dir: string): Promise<void>;
}
