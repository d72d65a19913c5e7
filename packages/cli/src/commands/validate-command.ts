import type { Command } from 'commander';
import { Srnn } from '@srnn/core';
import { action, createSrnn, pluginOptions, type PluginFlags } from '../command-support';

async function validate(file: string, flags: PluginFlags): Promise<void> {
  const srnn = await createSrnn(flags);
  const loaded = await srnn.loadScenario(file, { allowPlugins: flags.allowPlugins });
  const { scenario } = loaded;
  const runs = scenario.sweep || scenario.replicates > 1 ? srnn.createSweep(loaded).plan.runs.length : 1;
  const sweep = runs > 1 ? `, a sweep of ${runs} runs` : '';
  // the quick version (srnn paper --quick) is checked too, every combination of its sweep included
  const quickRuns = scenario.quick ? srnn.createSweep(loaded, { quick: true }).plan.runs.length : undefined;
  const quick = quickRuns === undefined ? '' : `; quick: ${quickRuns} run${quickRuns === 1 ? '' : 's'}`;
  process.stdout.write(`${file}: valid (${scenario.population.size} × ${scenario.architecture.type}, ${scenario.experiment.type}${sweep}${quick})\n`);
}

export function registerValidateCommand(program: Command): void {
  pluginOptions(program.command('validate').description('check a scenario file without running it').argument('<file>')).action(action(validate));
}
