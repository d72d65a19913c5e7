import type { Command } from 'commander';
import { Srnn } from '@srnn/core';
import { action } from '../command-support';

async function plugins(): Promise<void> {
  const srnn = await Srnn.create();
  const { registry } = srnn;
  const section = (title: string, entries: { name: string; description?: string }[]) =>
    `${title}:\n${entries.map((e) => `  ${e.name.padEnd(18)} ${e.description ?? ''}`.trimEnd()).join('\n') || '  (none)'}\n`;
  process.stdout.write(
    [
      section('packages', srnn.plugins.map((p) => ({ name: p.name, description: p.path }))),
      section('architectures', registry.architectures.map((a) => ({ name: a.type, description: a.description }))),
      section('experiments', registry.experiments.map((e) => ({ name: e.type, description: e.description }))),
      section('interactions', registry.interactions.map((i) => ({ name: i.type, description: i.description }))),
      section('backends', registry.backends.map((b) => ({ name: b.name }))),
      section('output sinks', registry.sinks.map((s) => ({ name: s.name }))),
      section('figures', registry.figures.map((f) => ({ name: f.type, description: f.description }))),
      ...(srnn.skipped.length > 0 ? [section('skipped (could not load)', srnn.skipped.map((s) => ({ name: s.ref.name, description: s.reason })))] : []),
    ].join('\n'),
  );
}

export function registerPluginsCommand(program: Command): void {
  program.command('plugins').description('list the registered plugins').action(action(plugins));
}
