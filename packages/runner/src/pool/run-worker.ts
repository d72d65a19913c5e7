import 'reflect-metadata';
import { receiveMessageOnPort } from 'node:worker_threads';
import { workerData as piscinaWorkerData } from 'piscina';
import { Run, type RunEvent } from '@srnn/core';
import type { PluginModuleRef } from '../plugin-loader';
import { figureJobs, type FigureFailure } from '../results/render-figures';
import { writeRunResults } from '../results/results-directory';
import { Srnn } from '../srnn';
import { executeSweepRun, type SweepRunOutcome } from './execute-run';
import { postableError } from './posted-error';
import type { BatchRun, CancelMessage, RunsTask, RunTask, RunTaskMessage, RunTaskOutcome, WorkerData, WorkerMessage, WorkerTask } from './worker-protocol';

const PROGRESS_EVERY_MS = 100;

// The worker's Srnn: built once, when piscina loads this file as the worker starts.
const data = piscinaWorkerData as WorkerData;
const srnn = Srnn.create({ discover: false }).then(async (created) => {
  await created.loadPlugins(data.plugins);
  return created;
});
// a plugin that fails to load fails every task of this worker (with its error), not the worker itself
srnn.catch(() => undefined);

/** Piscina's task handler: a batch of runs, a run of its own, a figure of a results directory, or getting ready. */
export default async function workerTask(task: WorkerTask): Promise<string[] | RunTaskOutcome | void> {
  if (task.kind === 'runs') return runBatch(task);
  if (task.kind === 'run') return runTask(task);
  if (task.kind === 'ready') {
    await withPlugins(task.plugins);
    return;
  }
  const ready = await withPlugins(task.plugins);
  const job = figureJobs(task.scenario, ready.registry)[task.index];
  return job.figure.render(task.dir, task.scenario, job.options);
}

/**
 * The worker's Srnn, with a scenario's own plugin modules loaded: those the main thread handed
 * over (it loaded them itself), never what the scenario's `plugins:` name.
 */
async function withPlugins(plugins: readonly PluginModuleRef[]): Promise<Srnn> {
  const ready = await srnn;
  await ready.loadPlugins(plugins);
  return ready;
}

/**
 * Executes the runs of a batch one after another; each run's outcome (or error) goes back as a
 * message as soon as it is known, so that one failing run fails only itself.
 */
async function runBatch(task: RunsTask): Promise<void> {
  const { runs, port, plugins } = task;
  const aborts = runs.map(() => new AbortController());
  const receive = (message: CancelMessage) => {
    if (message.kind === 'cancel') aborts[message.index]?.abort(new Error(message.reason));
  };
  const drain = () => {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) receive(m.message as CancelMessage);
  };
  const post = (message: WorkerMessage) => port.postMessage(message);
  port.on('message', receive);
  try {
    for (let index = 0; index < runs.length; index++) {
      // cancels sent while the previous run computed are read before this one starts
      drain();
      try {
        post({ kind: 'finished', index, outcome: await runOne(runs[index], plugins, aborts[index].signal, post, index) });
      } catch (error) {
        post({ kind: 'failed', index, error: postableError(error) });
      }
    }
  } finally {
    port.close();
  }
}

/** Executes one derived scenario in this worker. */
async function runOne(run: BatchRun, plugins: readonly PluginModuleRef[], signal: AbortSignal, post: (message: WorkerMessage) => void, index: number): Promise<SweepRunOutcome> {
  const { scenario, dir, checkpoints } = run;
  if (signal.aborted) throw signal.reason;
  const ready = await withPlugins([...plugins, ...run.plugins]);
  if (signal.aborted) throw signal.reason;
  post({ kind: 'started', index });
  let last = 0;
  return executeSweepRun(scenario, ready.registry, {
    dir,
    checkpoints,
    signal,
    onEvent: (event) => {
      if (event.kind !== 'progress') return;
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS && event.done < event.total) return;
      last = now;
      post({ kind: 'progress', index, done: event.done, total: event.total });
    },
  });
}

/** Executes a run of its own with its sinks and figures; its events go back on the task's port. */
async function runTask(task: RunTask): Promise<RunTaskOutcome> {
  const { scenario, dir, plugins, port } = task;
  const abort = new AbortController();
  const receive = (message: CancelMessage) => abort.abort(new Error(message.reason));
  port.on('message', receive);
  const post = (event: RunEvent) => port.postMessage({ kind: 'event', event } satisfies RunTaskMessage);
  try {
    const ready = await withPlugins(plugins);
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) receive(m.message as CancelMessage);
    if (abort.signal.aborted) throw abort.signal.reason;
    const run = new Run(scenario, ready.registry);
    abort.signal.addEventListener('abort', () => run.cancel((abort.signal.reason as Error).message), { once: true });
    let last = 0;
    let census: RunEvent | undefined;
    run.select('run-started', 'census', 'progress').subscribe((event) => {
      if (event.kind === 'run-started') post(event);
      else if (event.kind === 'census') census = event;
      else if (event.kind === 'progress') {
        const now = performance.now();
        if (now - last < PROGRESS_EVERY_MS && event.done < event.total) return;
        last = now;
        if (census) post(census);
        census = undefined;
        post(event);
      }
    });
    const figureFailed = ({ figure, dir: where, error }: FigureFailure) =>
      port.postMessage({ kind: 'figure-failed', figure, dir: where, message: error instanceof Error ? error.message : String(error) } satisfies RunTaskMessage);
    const result = await writeRunResults(run, dir, ready.registry.sinks, ready.registry, figureFailed);
    if (census) post(census);
    return { result };
  } catch (error) {
    return { error: postableError(error) };
  } finally {
    port.close();
  }
}
