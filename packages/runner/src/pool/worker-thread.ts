import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { RunTaskOutcome, WorkerData, WorkerTask } from './worker-protocol';

/** One worker thread of a pool: a piscina pool of one thread running run-worker.js. */
export type WorkerThread = Piscina<WorkerTask, string[] | RunTaskOutcome | void>;

const prestarted: WorkerThread[] = [];

/** A worker thread that loads `workerData.plugins` as it starts (tasks name the plugins they need too). */
export function startWorkerThread(workerData: WorkerData): WorkerThread {
  return new Piscina<WorkerTask, string[] | RunTaskOutcome | void>({
    filename: join(__dirname, 'run-worker.js'),
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: 60_000,
    // one task per worker at a time; workers wait on their message port, not in Atomics.wait
    concurrentTasksPerWorker: 1,
    atomics: 'disabled',
    workerData,
  });
}

/**
 * Starts a worker thread now, for the next pool to take: a thread loads srnn's modules as it
 * starts, which then happens while this thread loads its own (the CLI calls it first thing before
 * `run` and `paper`). It loads no plugin before a task names them. An idle thread does not keep
 * the process alive.
 */
export function prestartWorkerThread(): void {
  prestarted.push(startWorkerThread({ plugins: [] }));
}

/** A thread prestartWorkerThread() started, if one is left. */
export function takePrestartedWorkerThread(): WorkerThread | undefined {
  return prestarted.shift();
}
