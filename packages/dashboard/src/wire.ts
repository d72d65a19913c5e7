import type { DashboardState } from './dashboard-state';

/** What a connection has been sent of a state so far. */
export interface Cursor {
  version: number;
  census: number;
  epochs: number;
  snapshot: number;
  facts: boolean;
}

export function freshCursor(): Cursor {
  return { version: -1, census: 0, epochs: 0, snapshot: 0, facts: false };
}

/** Typed array → base64 of its bytes (little-endian on every machine srnn runs on). */
export function base64(values: Float64Array | Float32Array | Uint8Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/**
 * The update a connection at `cursor` needs to show `state` (undefined: nothing new), and moves the
 * cursor: the rows it has not seen (all of them for a new connection: the history), the latest
 * progress and status, the latest snapshot's projections when there is a newer one.
 */
export function updateFor(state: DashboardState, cursor: Cursor): Record<string, unknown> | undefined {
  if (cursor.version === state.version && cursor.snapshot === state.snapshotVersion) return undefined;
  const message: Record<string, unknown> = { status: state.status, progress: state.progress, error: state.error };
  if (state.facts && !cursor.facts) {
    message.facts = state.facts;
    cursor.facts = true;
  }
  const { census, epochs } = state;
  if (census.step.length > cursor.census) {
    const from = cursor.census;
    message.census = { from, step: base64(census.step.from(from)), counts: census.counts.map((c) => base64(c.from(from))), loss: base64(census.loss.from(from)) };
    cursor.census = census.step.length;
  }
  if (epochs.step.length > cursor.epochs) {
    const from = cursor.epochs;
    message.epochs = {
      from,
      codes: epochs.codes,
      step: base64(epochs.step.from(from)),
      counts: epochs.counts.map((c) => base64(c.from(from))),
      births: base64(epochs.births.from(from)),
      deaths: base64(epochs.deaths.from(from)),
    };
    cursor.epochs = epochs.step.length;
  }
  if (state.snapshotVersion !== cursor.snapshot) {
    const projections = state.projections();
    if (projections) {
      const { points, trajectories } = projections;
      message.snapshot = { step: points.step, x: base64(points.x), y: base64(points.y), classes: base64(points.classes), explained: points.explained };
      message.trajectories = trajectories.map((t) => ({ uid: t.uid, cls: t.cls, steps: base64(t.steps), x: base64(t.x), y: base64(t.y) }));
    }
    cursor.snapshot = state.snapshotVersion;
  }
  cursor.version = state.version;
  return message;
}
