import assert from 'node:assert/strict';
import { decodeValue, encodeValue, type TypedArray } from '@srnn/checkpoint';
import type { RunEvent, RunState } from '@srnn/core';
import type { Srnn } from '@srnn/runner';

/** What `checkpointRoundTrip` checked: the cursors of the checkpoints saved and of those resumed from, and the events of the run. */
export interface RoundTrip {
  readonly saved: readonly number[];
  readonly resumed: readonly number[];
  readonly events: readonly RunEvent[];
}

/**
 * An experiment's checkpoints, in process: the scenario `yaml` runs uninterrupted, then once
 * saving a checkpoint every `every` units — each state taken through the checkpoint codec (JSON
 * plus copied typed arrays), with the events emitted up to it — and then, from each of at most
 * `resumes` of these checkpoints (default: all; evenly spread, the first and the last among them), a run resumed must emit exactly the events of
 * the uninterrupted run, progress and timing aside. Every event kind is wanted, so detail that
 * experiments record only on demand (trajectories, snapshots) is covered too.
 */
export async function checkpointRoundTrip(srnn: Srnn, yaml: string, every: number, resumes = Infinity): Promise<RoundTrip> {
  const loaded = await srnn.loadScenarioText(yaml, 'round-trip.yaml');
  const expected = await eventsOf(srnn.createRun(loaded));

  const checkpoints: { state: RunState; events: RunEvent[] }[] = [];
  const saving = srnn.createRun(loaded);
  const seen: RunEvent[] = [];
  saving.events$.subscribe((event) => {
    if (event.kind !== 'run-started' && event.kind !== 'progress') seen.push(event);
  });
  saving.useCheckpoints({ every, save: (state) => void checkpoints.push({ state: throughCodec(state), events: seen.slice() }) });
  assert.deepStrictEqual(await eventsOf(saving), expected, 'a run saving checkpoints emits what a run without them does');
  assert.ok(checkpoints.length > 0, 'checkpoints were saved');

  const n = Math.min(resumes, checkpoints.length);
  const chosen = [...new Set(Array.from({ length: n }, (_, k) => Math.round((k * (checkpoints.length - 1)) / Math.max(1, n - 1))))];
  for (const k of chosen) {
    const { state, events } = checkpoints[k];
    const resumed = srnn.createRun(loaded);
    resumed.useCheckpoints({ every, resume: { state: throughCodec(state), events }, save: () => {} });
    assert.deepStrictEqual(await eventsOf(resumed), expected, `resumed from the checkpoint at ${state.cursor}`);
  }
  return { saved: checkpoints.map((c) => c.state.cursor), resumed: chosen.map((k) => checkpoints[k].state.cursor), events: expected };
}

/** The events a run emits, progress left out and `elapsedMs` zeroed. */
async function eventsOf(run: ReturnType<Srnn['createRun']>): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  run.events$.subscribe((event) => {
    if (event.kind === 'progress') return;
    events.push(event.kind === 'run-finished' ? { ...event, elapsedMs: 0 } : event);
  });
  await run.execute();
  return events;
}

/** A state as a checkpoint file gives it back: JSON data and copies of its typed arrays. */
function throughCodec(state: RunState): RunState {
  const arrays: TypedArray[] = [];
  const json = JSON.stringify(encodeValue(state, (array) => arrays.push(array.slice()) - 1));
  return decodeValue(JSON.parse(json), (ref) => arrays[ref as number].slice()) as RunState;
}
