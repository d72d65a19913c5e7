import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { PARTICLE_CLASSES, Srnn } from '@srnn/core';
import { action, integer, UsageError } from '../command-support';
import { showProgress } from '../progress-display';

interface RunFlags {
  out?: string;
  seed?: number;
  backend?: string;
  events?: boolean;
}

async function run(file: string, flags: RunFlags): Promise<void> {
  const srnn = await Srnn.create();
  const loaded = await srnn.loadScenario(file);
  if (flags.backend !== undefined && !srnn.registry.backends.some((b) => b.name === flags.backend)) {
    throw new UsageError(`--backend ${flags.backend}: expected one of ${srnn.registry.backends.map((b) => b.name).join(', ')}`);
  }
  if (flags.events) loaded.scenario.output = { ...loaded.scenario.output, events: true };
  const run = srnn.createRun(loaded, { seed: flags.seed, backend: flags.backend });
  const out = flags.out ?? join('results', basename(file, extname(file)));
  showProgress(run.events$);
  const interrupt = () => run.cancel('interrupted');
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const result = await srnn.runIntoDirectory(run, out);
    const size = run.scenario.population.size;
    const rows = PARTICLE_CLASSES.map(
      (c) => `  ${c.padEnd(13)} ${String(result.census[c]).padStart(7)}  ${((100 * result.census[c]) / size).toFixed(1).padStart(5)} %`,
    );
    process.stdout.write(`census after ${(result.elapsedMs / 1000).toFixed(2)} s:\n${rows.join('\n')}\nresults: ${out}\n`);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a scenario and write its results directory')
    .argument('<file>', 'scenario YAML file')
    .option('--out <dir>', 'results directory (default: results/<scenario name>)')
    .option('--seed <n>', 'override the scenario seed', integer)
    .option('--backend <name>', 'override the backend (js | tfjs)')
    .option('--events', 'also write events.jsonl')
    .action(action(run));
}
