import type { Command } from 'commander';
import { Srnn } from '@srnn/core';
import { action } from '../command-support';

async function validate(file: string): Promise<void> {
  const srnn = await Srnn.create();
  const { scenario } = await srnn.loadScenario(file);
  process.stdout.write(`${file}: valid (${scenario.population.size} × ${scenario.architecture.type}, ${scenario.experiment.type})\n`);
}

export function registerValidateCommand(program: Command): void {
  program.command('validate').description('check a scenario file without running it').argument('<file>').action(action(validate));
}
