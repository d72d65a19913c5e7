import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { scenarioJsonSchema } from '@srnn/runner';
import { action, createSrnn, pluginOptions, type PluginFlags } from '../command-support';

async function schema(flags: { out?: string } & PluginFlags): Promise<void> {
  const srnn = await createSrnn(flags);
  const text = JSON.stringify(scenarioJsonSchema(srnn.registry), null, 2) + '\n';
  if (flags.out) writeFileSync(flags.out, text);
  else process.stdout.write(text);
}

export function registerSchemaCommand(program: Command): void {
  const command = program.command('schema').description('print the JSON Schema of scenario files (for editor autocompletion)').option('--out <file>', 'write it to a file');
  pluginOptions(command, { allow: false }).action(action(schema));
}
