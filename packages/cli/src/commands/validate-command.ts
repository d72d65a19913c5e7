import type { Command } from 'commander';
import { Srnn } from '@srnn/runner';
import { checkpointNote } from '../checkpoint-note';
import { action, createSrnn, pluginOptions, type PluginFlags } from '../command-support';

/**
 * What `srnn validate FILE` prints: the scenario loaded as `srnn run` loads it — which checks every
 * run and its quick version before any step — and nothing run. Bad input is a ScenarioError.
 */
export async function validateScenario(srnn: Srnn, file: string, options: { allowPlugins?: boolean } = {}): Promise<string> {
  const { scenario, plan, quickPlan } = await srnn.loadScenario(file, options);
  const runs = plan.runs.length;
  const sweep = runs > 1 ? `, a sweep of ${runs} runs` : '';
  // the quick version (srnn paper --quick, srnn run --quick) is checked too, every combination of its sweep included
  const quickRuns = quickPlan?.runs.length;
  const quick = quickRuns === undefined ? '' : `; quick: ${quickRuns} run${quickRuns === 1 ? '' : 's'}`;
  // what the runs compute on: the scenario's backend, else the default for each run's network (js, or faster where one covers it)
  const backends = [...new Set(plan.runs.map((run) => run.scenario.backend))].join(', ');
  const backend = `, backend ${backends}${scenario.backend === undefined ? ` (default for ${runs > 1 ? 'each network' : 'this network'})` : ''}`;
  const note = checkpointNote(scenario, srnn.registry, runs > 1);
  const checkpoint = note === undefined ? '' : note.startsWith('warning') ? `\n${note}` : `; ${note}`;
  return `${file}: valid (${scenario.population.size} × ${scenario.architecture.type}, ${scenario.experiment.type}${backend}${sweep}${quick})${checkpoint}\n`;
}

async function validate(file: string, flags: PluginFlags): Promise<void> {
  process.stdout.write(await validateScenario(await createSrnn(flags), file, { allowPlugins: flags.allowPlugins }));
}

export function registerValidateCommand(program: Command): void {
  pluginOptions(program.command('validate').description('check a scenario file without running it').argument('<file>')).action(action(validate));
}
