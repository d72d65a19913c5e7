import type { Command } from 'commander';
import { Srnn } from '@srnn/core';
import { action } from '../command-support';

/** Loads the scenario as `srnn run` does — which checks every run and its quick version — and runs nothing. */
async function validate(file: string): Promise<void> {
  const srnn = await Srnn.create();
  const { scenario, plan, quickPlan } = await srnn.loadScenario(file);
  const runs = plan.runs.length;
  const sweep = runs > 1 ? `, a sweep of ${runs} runs` : '';
  // the quick version (srnn paper --quick, srnn run --quick) is checked too, every combination of its sweep included
  const quickRuns = quickPlan?.runs.length;
  const quick = quickRuns === undefined ? '' : `; quick: ${quickRuns} run${quickRuns === 1 ? '' : 's'}`;
  process.stdout.write(`${file}: valid (${scenario.population.size} × ${scenario.architecture.type}, ${scenario.experiment.type}${sweep}${quick})\n`);
}

export function registerValidateCommand(program: Command): void {
  program.command('validate').description('check a scenario file without running it').argument('<file>').action(action(validate));
}
