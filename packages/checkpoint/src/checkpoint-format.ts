import { createHash } from 'node:crypto';
import type { PluginRegistry, ResolvedScenario } from '@srnn/core';
import { encodeValue } from './state-codec';

/** The version of the checkpoint format (README, "Checkpoint format"); a reader refuses others. */
export const CHECKPOINT_FORMAT = 1;

/** The directory inside `<out>.partial/` holding the checkpoint. */
export const CHECKPOINT_DIR = '.checkpoint';

/** A typed array inside a checkpoint's binary file: its type, byte offset and element count. */
export interface ArrayRef {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
}

/** How far the event log reached when a checkpoint was written. */
export interface EventLogPosition {
  readonly records: number;
  readonly jsonBytes: number;
  readonly binaryBytes: number;
}

/** What a checkpoint records about the run it belongs to (`run.json` and every `index.json`). */
export interface CheckpointIdentity {
  readonly format: number;
  /** The srnn version that wrote it; another version refuses to resume it. */
  readonly srnn: string;
  /** sha256 of the resolved scenario's canonical JSON. */
  readonly scenarioHash: string;
  /** The registered plugins' names (experiments, architectures, interactions, backends, sinks). */
  readonly plugins: PluginSet;
}

export type PluginSet = Readonly<Record<'experiments' | 'architectures' | 'interactions' | 'backends' | 'sinks', readonly string[]>>;

/** `index.json`: the latest checkpoint. */
export interface CheckpointIndex extends CheckpointIdentity {
  readonly experiment: string;
  /** The experiment's checkpoint unit and how many of them were done. */
  readonly unit: string;
  readonly cursor: number;
  readonly sequence: number;
  readonly written: string;
  /** The binary file of this checkpoint, beside index.json. */
  readonly binary: string;
  readonly events: EventLogPosition;
  /** The run's state as JSON, typed arrays as `{ "$array": ArrayRef }` into `binary`. */
  readonly state: unknown;
}

/** The canonical JSON of a resolved scenario (key order as resolved; numbers JSON lacks encoded). */
export function scenarioJson(scenario: ResolvedScenario): string {
  return JSON.stringify(
    encodeValue(
      scenario,
      () => {
        throw new Error('a scenario holds no typed arrays');
      },
      'scenario',
    ),
  );
}

export function scenarioHash(scenario: ResolvedScenario): string {
  return createHash('sha256').update(scenarioJson(scenario)).digest('hex');
}

export function pluginSet(registry: PluginRegistry): PluginSet {
  const names = (list: readonly { type?: string; name?: string }[]) => list.map((p) => p.type ?? p.name ?? '').sort();
  return {
    experiments: names(registry.experiments),
    architectures: names(registry.architectures),
    interactions: names(registry.interactions),
    backends: names(registry.backends),
    sinks: names(registry.sinks),
  };
}

/**
 * Why a checkpoint cannot be continued by this srnn with these plugins for this scenario, or
 * undefined when it can. The results files depend on the sinks, so those must be the same.
 */
export function incompatibility(found: CheckpointIdentity, expected: CheckpointIdentity): string | undefined {
  if (found.format !== CHECKPOINT_FORMAT) return `its format is ${found.format}; this srnn reads format ${CHECKPOINT_FORMAT}`;
  if (found.srnn !== expected.srnn) return `it was written by srnn ${found.srnn}; this is srnn ${expected.srnn} (finish it with srnn ${found.srnn}, or start it again with srnn run)`;
  if (found.scenarioHash !== expected.scenarioHash) return 'it belongs to another scenario (its hash differs)';
  for (const kind of Object.keys(expected.plugins) as (keyof PluginSet)[]) {
    const missing = (found.plugins[kind] ?? []).filter((name) => !expected.plugins[kind].includes(name));
    const extra = kind === 'sinks' ? expected.plugins.sinks.filter((name) => !(found.plugins.sinks ?? []).includes(name)) : [];
    if (missing.length > 0) return `it was written with ${kind} ${missing.join(', ')}, which are not loaded now (load them with --plugin FILE)`;
    if (extra.length > 0) return `results sinks ${extra.join(', ')} are loaded now but were not when it was written`;
  }
  return undefined;
}
