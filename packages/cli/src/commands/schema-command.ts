import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Srnn, scenarioJsonSchema } from '@srnn/core';
import { action } from '../command-support';

async function schema(flags: { out?: string }): Promise<void> {
  const srnn = await Srnn.create();
  const text = JSON.stringify(scenarioJsonSchema(srnn.registry), null, 2) + '\n';
  if (flags.out) writeFileSync(flags.out, text);
  else process.stdout.write(text);
}

export function registerSchemaCommand(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (for editor autocompletion)')
    .option('--out <file>', 'write it to a file')
    .action(action(schema));
}
