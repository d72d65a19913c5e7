import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import type { LoadedScenario, ResolvedScenario } from '@srnn/core';
import { defaultWorkers, isSweep, Srnn, type RunExecutor } from '@srnn/runner';
import { censusReport } from '../census-report';
import { checkpointNote, QUEUE_CHECKPOINT_WARNING } from '../checkpoint-note';
import { action, BACKEND_HELP, checkBackend, createSrnn, debugPool, pluginOptions, positiveInteger, seed, UsageError, workerCount, type PluginFlags } from '../command-support';
import { interruptibly } from '../interruption';
import { dashboardOptions, runWithDashboard, type DashboardFlags } from './dashboard-command';
import { PROGRESS_KINDS, showProgress } from '../progress-display';
import { showSweepProgress, sweepReport } from '../sweep-progress-display';
import { queueExecutor, queueOption } from './queue-option';

interface RunFlags extends PluginFlags, DashboardFlags {
  out?: string;
  seed?: number;
  backend?: string;
  events?: boolean;
  workers?: number;
  quick?: boolean;
  checkpointEvery?: number;
  queue?: string;
}

async function run(file: string, flags: RunFlags): Promise<void> {
  const srnn = await createSrnn(flags);
  const loaded = await srnn.loadScenario(file, { allowPlugins: flags.allowPlugins });
  checkBackend(srnn, flags.backend);
  const out = flags.out ?? join('results', basename(file, extname(file)));
  if (isSweep(flags.quick ? srnn.quickScenario(loaded) : loaded.scenario)) {
    if (flags.dashboard !== undefined) throw new UsageError('--dashboard: a single run only (a sweep: srnn dashboard <results-dir> once it has finished)');
    const scenario = { ...loaded.scenario, ...(flags.checkpointEvery === undefined ? {} : { checkpoint: { every: flags.checkpointEvery } }) };
    if (flags.queue !== undefined && scenario.checkpoint !== undefined) process.stderr.write(`srnn: ${QUEUE_CHECKPOINT_WARNING}\n`);
    else warnUncheckpointed(srnn, scenario, true);
    return runSweep(srnn, loaded, flags, out);
  }
  if (flags.queue !== undefined) throw new UsageError(`--queue: ${file} is a single run, not a sweep (no sweep: or replicates:); run it without --queue`);
  if (flags.events) loaded.scenario.output = { ...loaded.scenario.output, events: true };
  const run = srnn.createRun(loaded, { seed: flags.seed, backend: flags.backend, quick: flags.quick, checkpointEvery: flags.checkpointEvery });
  warnUncheckpointed(srnn, run.scenario);
  showProgress(run.select(...PROGRESS_KINDS));
  if (flags.dashboard !== undefined) return runWithDashboard(srnn, run, out, flags);
  // in a worker thread, so that a signal stops it whatever its kernels do
  const thread = srnn.createPool({ workers: 1, threads: true });
  try {
    const result = await interruptibly({ cancel: () => run.cancel('interrupted'), terminate: () => thread.close() }, () => srnn.runIntoDirectory(run, out, thread));
    process.stdout.write(censusReport(result, run.scenario.population.size, out));
  } finally {
    await thread.close();
  }
}

function warnUncheckpointed(srnn: Srnn, scenario: ResolvedScenario, sweep = false): void {
  const note = checkpointNote(scenario, srnn.registry, sweep);
  if (note?.startsWith('warning')) process.stderr.write(`srnn: ${note}\n`);
}

/** A scenario with `sweep` or `replicates` > 1: every run in a pool of workers, then the summary table. */
async function runSweep(srnn: Srnn, loaded: LoadedScenario, flags: RunFlags, out: string): Promise<void> {
  // worker threads also for --workers 1, so that a signal stops the runs whatever their kernels do
  const local = srnn.createPool({ workers: flags.queue === undefined ? (flags.workers ?? defaultWorkers()) : 1, threads: true });
  const pool = flags.queue === undefined ? local : await queueExecutor(srnn, flags.queue, local);
  try {
    await runSweepWith(srnn, loaded, flags, out, pool);
  } finally {
    debugPool(pool);
    await pool.close();
  }
}

async function runSweepWith(srnn: Srnn, loaded: LoadedScenario, flags: RunFlags, out: string, pool: RunExecutor): Promise<void> {
  const sweep = srnn.createSweep(loaded, { seed: flags.seed, backend: flags.backend, events: flags.events, quick: flags.quick, checkpointEvery: flags.checkpointEvery }, pool);
  showSweepProgress(sweep.events$);
  const result = await interruptibly({ cancel: () => sweep.cancel('interrupted'), terminate: () => pool.close() }, () => srnn.runSweepIntoDirectory(sweep, out));
  process.stdout.write(sweepReport(result, pool.workers, out));
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('run a scenario (or every run of its sweep and replicates) and write its results directory')
    .argument('<file>', 'scenario YAML file')
    .option('--out <dir>', 'results directory (default: results/<scenario name>)')
    .option('--seed <n>', 'override the scenario seed (of a sweep: the base seed every run derives its seed from; 0 … 2^32 − 1)', seed)
    .option('--backend <name>', BACKEND_HELP)
    .option('--events', 'also write events.jsonl')
    .option('--quick', "apply the scenario's quick: overrides (a small, seeded version of it)")
    .option('--checkpoint-every <n>', 'save a checkpoint every N units of the experiment (steps, epochs, …) into <out>.partial/ (resume with srnn resume <out>)', positiveInteger)
    .option(
      '--workers <n>',
      'runs of a sweep executed at the same time, each in a worker thread; threads beyond the first start only while a core is idle and enough work is queued (default: the number of cores; at most 256)',
      workerCount,
    );
  pluginOptions(queueOption(dashboardOptions(command))).action(action(run));
}
