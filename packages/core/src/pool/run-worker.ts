import 'reflect-metadata';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { workerData as piscinaWorkerData } from 'piscina';
import type { PluginModuleRef } from '../plugin-loader';
import type { ResolvedScenario } from '../scenario/schema';
import { figureJobs } from '../render-figures';
import { Srnn } from '../srnn';
import { executeSweepRun, type SweepRunOutcome } from '../sweep/sweep-runner';

/** What a pool gives each of its workers: the plugin modules to load. */
export interface WorkerData {
  readonly plugins: readonly PluginModuleRef[];
}

/** One run for a worker. */
export interface RunTask {
  readonly kind: 'run';
  readonly scenario: ResolvedScenario;
  readonly dir?: string;
  /** Messages to the caller (WorkerMessage) and from it (`{ kind: 'cancel', reason }`). */
  readonly port: MessagePort;
}

/** Drawing one figure (`figureJobs(scenario)[index]`) of a results directory written by earlier tasks. */
export interface FigureTask {
  readonly kind: 'figure';
  readonly scenario: ResolvedScenario;
  readonly dir: string;
  readonly index: number;
}

export type WorkerTask = RunTask | FigureTask;

export type WorkerMessage = { readonly kind: 'started' } | { readonly kind: 'progress'; readonly done: number; readonly total: number };

const PROGRESS_EVERY_MS = 100;

// The worker's Srnn: built once, when piscina loads this file as the worker starts.
const data = piscinaWorkerData as WorkerData;
const srnn = Srnn.create({ discover: false }).then(async (created) => {
  await created.loadPlugins(data.plugins);
  return created;
});
// a plugin that fails to load fails every task of this worker (with its error), not the worker itself
srnn.catch(() => undefined);

/** Piscina's task handler: a run, or a figure of a results directory. */
export default async function workerTask(task: WorkerTask): Promise<SweepRunOutcome | string[]> {
  if (task.kind === 'run') return runTask(task);
  const ready = await withPlugins(task.scenario);
  const job = figureJobs(task.scenario, ready.registry)[task.index];
  return job.figure.render(task.dir, task.scenario, job.options);
}

/** The worker's Srnn, with a scenario's own plugin files loaded (absolute in a resolved scenario). */
async function withPlugins(scenario: ResolvedScenario): Promise<Srnn> {
  const ready = await srnn;
  await ready.loadPlugins(scenario.plugins.map((path) => ({ name: path, path })));
  return ready;
}

/** Executes one derived scenario in this worker. */
async function runTask(task: RunTask): Promise<SweepRunOutcome> {
  const { scenario, dir, port } = task;
  const abort = new AbortController();
  const receive = (message: { kind: string; reason?: string }) => {
    if (message.kind === 'cancel') abort.abort(new Error(message.reason ?? 'cancelled'));
  };
  // a run cancelled while it was queued is cancelled before it starts
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) receive(m.message);
  port.on('message', receive);
  try {
    if (abort.signal.aborted) throw abort.signal.reason;
    const ready = await withPlugins(scenario);
    if (abort.signal.aborted) throw abort.signal.reason;
    port.postMessage({ kind: 'started' } satisfies WorkerMessage);
    let last = 0;
    return await executeSweepRun(scenario, ready.registry, {
      dir,
      signal: abort.signal,
      onEvent: (event) => {
        if (event.kind !== 'progress') return;
        const now = performance.now();
        if (now - last < PROGRESS_EVERY_MS && event.done < event.total) return;
        last = now;
        port.postMessage({ kind: 'progress', done: event.done, total: event.total } satisfies WorkerMessage);
      },
    });
  } finally {
    port.close();
  }
}
