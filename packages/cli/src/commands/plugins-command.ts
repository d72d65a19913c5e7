import type { Command } from 'commander';
import { action, createSrnn, pluginOptions, type PluginFlags } from '../command-support';

async function plugins(flags: PluginFlags): Promise<void> {
  const srnn = await createSrnn(flags);
  const { registry } = srnn;
  const kernelsOn = (backend: string) => registry.kernelProviders.filter((k) => k.backend === backend).map((k) => k.architecture);
  const section = (title: string, entries: { name: string; description?: string }[]) =>
    `${title}:\n${entries.map((e) => `  ${e.name.padEnd(18)} ${e.description ?? ''}`.trimEnd()).join('\n') || '  (none)'}\n`;
  process.stdout.write(
    [
      section(
        'packages',
        srnn.plugins.map((p) => ({ name: p.name, description: p.path })),
      ),
      section(
        'architectures',
        registry.architectures.map((a) => ({ name: a.type, description: a.description })),
      ),
      section(
        'experiments',
        registry.experiments.map((e) => ({ name: e.type, description: e.description })),
      ),
      section(
        'interactions',
        registry.interactions.map((i) => ({ name: i.type, description: i.description })),
      ),
      section(
        'backends',
        registry.backends.map((b) => ({ name: b.name, description: `kernels for: ${kernelsOn(b.name).join(', ') || 'none'}` })),
      ),
      section(
        'output sinks',
        registry.sinks.map((s) => ({ name: s.name })),
      ),
      section(
        'figures',
        registry.figures.map((f) => ({ name: f.type, description: f.description })),
      ),
      ...(srnn.skipped.length > 0
        ? [
            section(
              'skipped (could not load)',
              srnn.skipped.map((s) => ({ name: s.ref.name, description: s.reason })),
            ),
          ]
        : []),
    ].join('\n'),
  );
}

export function registerPluginsCommand(program: Command): void {
  pluginOptions(program.command('plugins').description('list the registered plugins'), { allow: false }).action(action(plugins));
}
