#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { PARTICLE_CLASSES, ScenarioError, SRNN_VERSION, Srnn, scenarioJsonSchema } from '@srnn/core';
import { showProgress } from './progress-display';

/** Bad input (scenario or command line): exit 2. Anything else that fails: exit 1. */
class UsageError extends Error {}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

async function run(file: string, flags: { out?: string; seed?: number; backend?: string; events?: boolean }): Promise<void> {
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
    const rows = PARTICLE_CLASSES.map((c) => `  ${c.padEnd(13)} ${String(result.census[c]).padStart(7)}  ${((100 * result.census[c]) / size).toFixed(1).padStart(5)} %`);
    process.stdout.write(`census after ${(result.elapsedMs / 1000).toFixed(2)} s:\n${rows.join('\n')}\nresults: ${out}\n`);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

async function validate(file: string): Promise<void> {
  const srnn = await Srnn.create();
  const { scenario } = await srnn.loadScenario(file);
  process.stdout.write(`${file}: valid (${scenario.population.size} × ${scenario.architecture.type}, ${scenario.experiment.type})\n`);
}

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
    ].join('\n'),
  );
}

async function schema(flags: { out?: string }): Promise<void> {
  const srnn = await Srnn.create();
  const text = JSON.stringify(scenarioJsonSchema(srnn.registry), null, 2) + '\n';
  if (flags.out) writeFileSync(flags.out, text);
  else process.stdout.write(text);
}

function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const bad = error instanceof ScenarioError || error instanceof UsageError;
      process.stderr.write(`srnn: ${(error as Error).message}\n`);
      if (!bad && process.env.SRNN_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = bad ? 2 : 1;
    }
  };
}

const program = new Command('srnn')
  .description('self-replicating neural networks: run scenario files')
  .version(SRNN_VERSION)
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('run')
  .description('run a scenario and write its results directory')
  .argument('<file>', 'scenario YAML file')
  .option('--out <dir>', 'results directory (default: results/<scenario name>)')
  .option('--seed <n>', 'override the scenario seed', integer)
  .option('--backend <name>', 'override the backend (js | tfjs)')
  .option('--events', 'also write events.jsonl')
  .action(action(run));

program.command('validate').description('check a scenario file without running it').argument('<file>').action(action(validate));
program.command('plugins').description('list the registered plugins').action(action(plugins));
program
  .command('schema')
  .description('print the JSON Schema of scenario files (for editor autocompletion)')
  .option('--out <file>', 'write it to a file')
  .action(action(schema));

program.parseAsync(process.argv);
