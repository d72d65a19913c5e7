import type { Observable } from 'rxjs';
import type { RunEvent } from './events';

/**
 * Extension point: writes part of a results directory from a run's events. Sinks write into a
 * temporary directory that becomes the results directory only when every sink has finished.
 */
export const OutputSink = Symbol('OutputSink');
export interface OutputSink {
  readonly name: string;
  /** Subscribes to events$ (before the run starts); resolves once its files are written. */
  attach(events$: Observable<RunEvent>, dir: string): Promise<void>;
}
