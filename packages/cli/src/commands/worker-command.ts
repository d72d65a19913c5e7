import type { Command } from 'commander';
import { checkRedisUrl, displayUrl, QueueWorker, type QueueWorkerEvent } from '@srnn/queue';
import { defaultWorkers } from '@srnn/runner';
import { action, createSrnn, pluginOptions, positiveInteger, UsageError, workerCount, type PluginFlags } from '../command-support';
import { interruptibly } from '../interruption';

interface WorkerFlags extends PluginFlags {
  queue: string;
  concurrency?: number;
  lockMs?: number;
}

/** Runs jobs from the queue until a signal stops it (its running jobs then return to the queue). */
async function worker(flags: WorkerFlags): Promise<void> {
  try {
    checkRedisUrl(flags.queue);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const srnn = await createSrnn(flags);
  const concurrency = flags.concurrency ?? defaultWorkers();
  const pool = srnn.createPool({ workers: concurrency, threads: true });
  let started: QueueWorker;
  try {
    started = await QueueWorker.start({ url: flags.queue, concurrency, pool, plugins: srnn.plugins, lockMs: flags.lockMs, onEvent: (event) => report(event, started) });
  } catch (error) {
    await pool.close();
    throw error;
  }
  process.stderr.write(`srnn worker ${started.name}: waiting for jobs at ${displayUrl(flags.queue)}, ${concurrency} at a time (Ctrl-C stops; running jobs go back to the queue)\n`);
  // settles only once a signal stopped the worker (interruption.ts then exits)
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= started.stop().catch(() => undefined));
  let settle: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  await interruptibly({ cancel: () => void stop().then(settle), terminate: stop }, () => done);
}

function report(event: QueueWorkerEvent, worker: QueueWorker | undefined): void {
  const current = worker?.current.filter((run) => event.kind !== 'finished' || run !== event.run) ?? [];
  const running = () => (current.length > 0 ? `; running ${current.join(', ')}` : '');
  const line =
    event.kind === 'started'
      ? `started ${event.run} (${current.length} running)`
      : event.kind === 'finished'
        ? `finished ${event.run} in ${(event.elapsedMs / 1000).toFixed(2)} s; ${event.done} done${running()}`
        : event.kind === 'failed'
          ? `rejected ${event.run}: ${event.message}`
          : event.kind === 'returned'
            ? `returned ${event.run} to the queue`
            : event.message;
  process.stderr.write(`srnn worker: ${line}\n`);
}

export function registerWorkerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description('run the jobs of sweeps submitted with --queue (srnn run/paper) on this machine, until Ctrl-C or SIGTERM')
    .requiredOption('--queue <url>', 'the Redis the sweeps are submitted to: redis://[:password@]host:port[/db], or rediss:// for TLS')
    .option('--concurrency <n>', 'jobs run at the same time, each in a worker thread (default: the number of cores; at most 256)', workerCount)
    .option('--lock-ms <ms>', 'how soon a job of a worker that died is handed to another (BullMQ lock and stalled-job check, default 30000)', positiveInteger);
  pluginOptions(command, { allow: false }).action(action(worker));
}
