import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Run } from '@srnn/core';
import { checkResumable, readPartialRun } from '@srnn/checkpoint';
import { hasPartialRun, partialPath } from '@srnn/runner';
import { censusReport } from '../census-report';
import { action, createSrnn, pluginOptions, UsageError, type PluginFlags } from '../command-support';
import { interruptibly } from '../interruption';
import { PROGRESS_KINDS, showProgress } from '../progress-display';

/**
 * `srnn resume <out>`: continues the unfinished run in `<out>.partial/` from its latest checkpoint
 * (or from its start, when it had none yet) and finishes it into `<out>`, as `srnn run` would have.
 */
async function resume(out: string, flags: PluginFlags): Promise<void> {
  const partial = partialPath(resolve(out));
  if (!hasPartialRun(resolve(out))) throw new UsageError(`nothing to resume: ${partial} holds no unfinished run of ${out}`);
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

export function registerResumeCommand(program: Command): void {
  const command = program
    .command('resume')
    .description('continue an interrupted run with checkpoints (<out>.partial/) from its latest checkpoint and finish it into <out>')
    .argument('<out>', 'the results directory the run was writing (its --out)');
  pluginOptions(command, { allow: false }).action(action(resume));
}
