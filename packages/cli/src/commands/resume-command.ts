import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Run } from '@srnn/core';
import { checkResumable, readPartialRun } from '@srnn/checkpoint';
import { defaultWorkers, hasPartialRun, partialPath, readResultsMarker, type Srnn } from '@srnn/runner';
import { censusReport } from '../census-report';
import { action, createSrnn, debugPool, pluginOptions, UsageError, workerCount, type PluginFlags } from '../command-support';
import { interruptibly } from '../interruption';
import { PROGRESS_KINDS, showProgress } from '../progress-display';
import { showSweepProgress, sweepReport } from '../sweep-progress-display';

interface ResumeFlags extends PluginFlags {
  workers?: number;
}

/**
 * `srnn resume <out>`: continues the unfinished run in `<out>.partial/` from its latest checkpoint
 * (or from its start, when it had none yet) and finishes it into `<out>`, as `srnn run` would have;
 * or the unfinished sweep there: its finished runs kept, the others continued.
 */
async function resume(out: string, flags: ResumeFlags): Promise<void> {
  const partial = partialPath(resolve(out));
  if (!hasPartialRun(resolve(out))) throw new UsageError(`nothing to resume: ${partial} holds no unfinished run of ${out}`);
  if (readResultsMarker(partial)?.kind === 'sweep') return resumeSweep(await createSrnn(flags), out, flags);
  const found = readPartialRun(partial);
  if (!found) throw new UsageError(`nothing to resume: ${partial} has not recorded its scenario yet; start it again with srnn run (after rm -r ${partial})`);
  const srnn = await createSrnn(flags);
  const missing = found.scenario.plugins.filter((path) => !srnn.plugins.some((ref) => resolve(ref.path) === resolve(path)));
  if (missing.length > 0) throw new UsageError(`the run uses plugin modules ${missing.join(', ')}: resume it with --plugin FILE for each`);
  checkResumable(found, srnn.registry, partial);
  const run = new Run(found.scenario, srnn.registry);
  showProgress(run.select(...PROGRESS_KINDS));
  const at = found.index ? `after ${found.index.cursor} ${found.index.unit}` : 'from its start (no checkpoint was written)';
  process.stderr.write(`srnn: resuming ${out} ${at}\n`);
  const thread = srnn.createPool({ workers: 1, threads: true });
  try {
    const result = await interruptibly({ cancel: () => run.cancel('interrupted'), terminate: () => thread.close() }, () => srnn.runIntoDirectory(run, out, thread, { resume: true }));
    process.stdout.write(censusReport(result, run.scenario.population.size, out));
  } finally {
    await thread.close();
  }
}

/** A sweep: every run not recorded as finished executes again in the pool, from its checkpoint when it has one. */
async function resumeSweep(srnn: Srnn, out: string, flags: ResumeFlags): Promise<void> {
  const pool = srnn.createPool({ workers: flags.workers ?? defaultWorkers(), threads: true });
  try {
    const sweep = srnn.recordedSweep(out, pool);
    const missing = [...new Set(sweep.plan.runs.flatMap((spec) => spec.scenario.plugins))].filter((path) => !srnn.plugins.some((ref) => resolve(ref.path) === resolve(path)));
    if (missing.length > 0) throw new UsageError(`the sweep uses plugin modules ${missing.join(', ')}: resume it with --plugin FILE for each`);
    showSweepProgress(sweep.events$);
    process.stderr.write(`srnn: resuming the sweep ${out}\n`);
    const result = await interruptibly({ cancel: () => sweep.cancel('interrupted'), terminate: () => pool.close() }, () => srnn.resumeSweepIntoDirectory(sweep, out));
    process.stdout.write(sweepReport(result, pool.workers, out));
  } finally {
    debugPool(pool);
    await pool.close();
  }
}

export function registerResumeCommand(program: Command): void {
  const command = program
    .command('resume')
    .description('continue an interrupted run or sweep with checkpoints (<out>.partial/) from its latest checkpoints and finish it into <out>')
    .argument('<out>', 'the results directory the run or sweep was writing (its --out)')
    .option('--workers <n>', "a sweep's runs executed at the same time, each in a worker thread (default: the number of cores; as srnn run)", workerCount);
  pluginOptions(command, { allow: false }).action(action(resume));
}
