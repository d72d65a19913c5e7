import { SRNN_VERSION, type PluginRegistry, type ResolvedScenario, type Run, type RunEventKinds } from '@srnn/core';
import { join } from 'node:path';
import { CHECKPOINT_DIR, CHECKPOINT_FORMAT, incompatibility, pluginSet, scenarioHash, type CheckpointIdentity, type CheckpointIndex } from './checkpoint-format';
import { CheckpointStore } from './checkpoint-store';
import { EventLog } from './event-log';
import { encodeValue, decodeValue } from './state-codec';

/** A checkpoint that this srnn cannot continue (another scenario, version or plugin set): bad input. */
export class CheckpointMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointMismatchError';
  }
}

/** Units between checkpoints of a run of `scenario`, when it asks for them and its experiment supports them. */
export function checkpointEvery(scenario: ResolvedScenario, registry: PluginRegistry): number | undefined {
  const every = scenario.checkpoint?.every;
  return every !== undefined && registry.experiment(scenario.experiment.type).checkpointUnit !== undefined ? every : undefined;
}

/** What a checkpoint of a run of `scenario` with `registry`'s plugins must record to be continued. */
export function checkpointIdentity(scenario: ResolvedScenario, registry: PluginRegistry): CheckpointIdentity {
  return { format: CHECKPOINT_FORMAT, srnn: SRNN_VERSION, scenarioHash: scenarioHash(scenario), plugins: pluginSet(registry) };
}

/** The partial run in `dir` (a `<out>.partial/`): its scenario, its latest checkpoint, if any. */
export interface PartialRun {
  readonly scenario: ResolvedScenario;
  readonly identity: CheckpointIdentity;
  readonly index?: CheckpointIndex;
}

/** Reads the partial run of `dir`, or undefined when it has not recorded its scenario yet. */
export function readPartialRun(dir: string): PartialRun | undefined {
  const store = new CheckpointStore(join(dir, CHECKPOINT_DIR));
  const run = store.readRun();
  if (!run) return undefined;
  const { scenario, ...identity } = run;
  return { scenario: decodeValue(scenario, () => new Uint8Array(0)) as ResolvedScenario, identity, index: store.readIndex() };
}

/** Why `partial` cannot be continued by this srnn with `registry`'s plugins (CheckpointMismatchError), if so. */
export function checkResumable(partial: PartialRun, registry: PluginRegistry, shown: string): void {
  const problem = incompatibility(partial.identity, checkpointIdentity(partial.scenario, registry));
  if (problem) throw new CheckpointMismatchError(`cannot resume ${shown}: ${problem}`);
}

/** The checkpoints of one run writing into `dir`; `finish` once the results are written, `close` in any case. */
export interface AttachedCheckpoints {
  /** The cursor the run continues from, undefined for a fresh start. */
  readonly resumedAt?: number;
  finish(): void;
  close(): void;
}

/**
 * Makes `run` save a checkpoint every `every` units into `dir/.checkpoint/` and, when one is
 * there already (a partial run), continue from it: its state restored and the events logged up
 * to it replayed after `run-started`, into the sinks subscribed to `kinds` — so the results files
 * come out as an uninterrupted run writes them.
 */
export function attachCheckpoints(run: Run, dir: string, registry: PluginRegistry, every: number, kinds: RunEventKinds): AttachedCheckpoints {
  const { scenario } = run;
  const store = new CheckpointStore(join(dir, CHECKPOINT_DIR));
  const identity = checkpointIdentity(scenario, registry);
  const recorded = store.readRun();
  const index = recorded && store.readIndex();
  if (recorded) {
    const problem = incompatibility(recorded, identity);
    if (problem) throw new CheckpointMismatchError(`cannot resume ${dir}: ${problem}`);
  } else {
    store.writeRun({ ...identity, scenario: encodeValue(scenario, () => undefined) });
  }
  const state = index && store.loadState(index);
  const log = new EventLog(store.dir, index?.events);
  const experiment = registry.experiment(scenario.experiment.type);
  let replayed = index?.events.records ?? 0;
  const subscription = run.eventsOf(kinds).subscribe((event) => {
    if (event.kind === 'run-started' || event.kind === 'progress' || event.kind === 'run-finished' || event.kind === 'run-failed') return;
    if (replayed > 0) replayed--;
    else log.append(event);
  });
  run.useCheckpoints({
    every,
    resume: index && state && { state, events: log.replay(index.events) },
    save: (state) => {
      const header = { ...identity, experiment: experiment.type, unit: experiment.checkpointUnit ?? '', cursor: state.cursor };
      store.save(state, header, log.sync());
    },
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    subscription.unsubscribe();
    log.close();
  };
  return {
    resumedAt: index?.cursor,
    close,
    finish: () => {
      close();
      store.remove();
    },
  };
}
