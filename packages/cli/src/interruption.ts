/**
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP stop srnn within a second, whatever it is doing: runs
 * compute in worker threads, so this thread handles the signal at once. The work in progress is
 * cancelled (runs stop at their next progress report and remove what they wrote), its threads are
 * stopped if they have not stopped after a short grace period (a kernel call may take minutes), and
 * srnn exits with 128 + the signal's number (130, 143, 129) after one line `srnn: interrupted`.
 *
 * This module is loaded first, so that a signal during start-up is handled too, and imports nothing
 * heavy.
 */

/** Exit status per signal: 128 + its number, as a shell reports a process the signal killed. */
export const INTERRUPT_EXIT_STATUS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

type InterruptSignal = keyof typeof INTERRUPT_EXIT_STATUS;

/** How long cancelled work may take to stop and clean up by itself before its threads are stopped. */
const GRACE_MS = 300;

/** How long stopping the threads and cleaning up may take before srnn exits anyway. */
const CLEANUP_MS = 300;

/** Work that can be interrupted: `cancel` asks it to stop; `terminate` stops its threads at once. */
export interface Stoppable {
  cancel(): void;
  terminate(): Promise<void>;
}

interface Active {
  readonly stoppable: Stoppable;
  /** Settles once the work has stopped and cleaned up. */
  readonly settled: Promise<unknown>;
}

const active = new Set<Active>();
let interrupting: InterruptSignal | undefined;

for (const signal of Object.keys(INTERRUPT_EXIT_STATUS) as InterruptSignal[]) process.on(signal, () => void interrupt(signal));

/**
 * Does `work`, which a signal interrupts: `stoppable` cancels and stops it, srnn waits for it to
 * settle (a results directory's temporary directory removed) and exits. The promise returned
 * never settles once a signal came, so that the caller reports nothing more.
 */
export async function interruptibly<T>(stoppable: Stoppable, work: () => Promise<T>): Promise<T> {
  await signalsHandled();
  if (interrupting) return never();
  const promise = work();
  const entry: Active = { stoppable, settled: promise.catch(() => undefined) };
  active.add(entry);
  try {
    const value = await promise;
    return interrupting ? never() : value;
  } catch (error) {
    if (interrupting) return never();
    throw error;
  } finally {
    active.delete(entry);
  }
}

/**
 * A turn of the event loop, in which a signal that came meanwhile is handled: loading srnn and a
 * scenario blocks this thread for a while, and awaiting what is already settled does not turn it.
 */
export function signalsHandled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function interrupt(signal: InterruptSignal): Promise<void> {
  if (interrupting) return;
  interrupting = signal;
  const entries = [...active];
  for (const { stoppable } of entries) stoppable.cancel();
  const settled = Promise.all(entries.map((entry) => entry.settled));
  if (!(await within(settled, GRACE_MS))) {
    await within(Promise.all(entries.map(({ stoppable }) => stoppable.terminate().catch(() => undefined))), CLEANUP_MS);
    await within(settled, CLEANUP_MS);
  }
  try {
    process.stderr.write('srnn: interrupted\n');
  } catch {
    // no terminal left to tell (SIGHUP)
  }
  process.exit(INTERRUPT_EXIT_STATUS[signal]);
}

/** Whether `promise` settled within `ms`. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
