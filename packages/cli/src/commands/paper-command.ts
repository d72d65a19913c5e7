import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultWorkers, type RunExecutor, type Srnn } from '@srnn/runner';
import { PaperRun, PaperUsageError, seconds } from '@srnn/report';
import { action, BACKEND_HELP, checkBackend, createSrnn, debugPool, pluginOptions, UsageError, workerCount, type PluginFlags } from '../command-support';
import { interruptibly } from '../interruption';
import { showPaperProgress } from '../paper-progress-display';
import { queueExecutor, queueOption } from './queue-option';

interface PaperFlags extends PluginFlags {
  out?: string;
  only?: string;
  quick?: boolean;
  workers?: number;
  scenarios?: string;
  backend?: string;
  queue?: string;
}

async function paper(flags: PaperFlags): Promise<void> {
  const srnn = await createSrnn(flags);
  checkBackend(srnn, flags.backend);
  const out = flags.out ?? (flags.quick ? 'results/paper-quick' : 'results/paper');
  const only = flags.only
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  // worker threads also for --workers 1, so that a signal stops the runs whatever their kernels do
  const local = srnn.createPool({ workers: flags.workers ?? defaultWorkers(), threads: true });
  const pool = flags.queue === undefined ? local : await queueExecutor(srnn, flags.queue, local);
  try {
    await paperWith(srnn, flags, out, only, pool);
  } finally {
    debugPool(pool);
    await pool.close();
  }
}

async function paperWith(srnn: Srnn, flags: PaperFlags, out: string, only: string[] | undefined, pool: RunExecutor): Promise<void> {
  let run: PaperRun;
  try {
    run = await PaperRun.plan(srnn, {
      out,
      only,
      quick: flags.quick,
      backend: flags.backend,
      executor: pool,
      scenarios: flags.scenarios && resolve(flags.scenarios),
      allowPlugins: flags.allowPlugins,
    });
  } catch (error) {
    if (error instanceof PaperUsageError) throw new UsageError(error.message);
    throw error;
  }
  showPaperProgress(run.events$);
  const result = await interruptibly({ cancel: () => run.cancel('interrupted'), terminate: () => pool.close() }, () => run.execute());
  const lines = result.experiments.map(
    (e) =>
      `  ${(e.scenario.paper?.section ?? '').padEnd(5)} ${e.experiment.name.padEnd(28)} ${String(e.experiment.plan.runs.length).padStart(5)} run${e.experiment.plan.runs.length === 1 ? ' ' : 's'}  ${seconds(e.wallMs).padStart(8)}`,
  );
  process.stdout.write(
    `paper (${result.quick ? 'quick' : 'full'}) of ${result.experiments.length} experiment${result.experiments.length === 1 ? '' : 's'} after ${seconds(result.wallMs)} on ${result.workers} worker${result.workers === 1 ? '' : 's'}:\n` +
      `${lines.join('\n')}\nreport: ${resolve(out, 'report.html')} (and report.md)\n`,
  );
}

export function registerPaperCommand(program: Command): void {
  const command = program
    .command('paper')
    .description('reproduce the paper: run every scenario of scenarios/paper/ through one pool of workers and write report.md and report.html')
    .option('--out <dir>', 'results directory: the report and one results directory per experiment (default: results/paper, or results/paper-quick)')
    .option('--only <names>', 'run only these scenarios (comma-separated file names without .yaml)')
    .option('--quick', "apply each scenario's quick: overrides (a small, seeded version of the paper)")
    .option(
      '--workers <n>',
      'runs executed at the same time, each in a worker thread; threads beyond the first start only while a core is idle and enough work is queued (default: the number of cores; at most 256)',
      workerCount,
    )
    .option('--scenarios <dir>', 'directory of the paper scenarios (default: scenarios/paper)')
    .option('--backend <name>', BACKEND_HELP);
  pluginOptions(queueOption(command)).action(action(paper));
}
