import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { readScenarioSource, type ResolvedScenario, type ScenarioSource } from '@srnn/core';
import { partialPath, renderFigures } from '@srnn/runner';
import { isPartial, partialToPlot, plotPartialRun } from './plot-partial';
import { action, createSrnn, pluginOptions, UsageError, type PluginFlags } from '../command-support';

const RESOLVED = 'scenario.resolved.yaml';

interface ResultsScenario {
  readonly scenario: ResolvedScenario;
  readonly source: ScenarioSource;
}

/** A results directory's resolved scenario, or a UsageError saying why `dir` is not one. */
function readResolvedScenario(dir: string): ResultsScenario {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such directory`);
  const file = join(dir, RESOLVED);
  if (!existsSync(file)) throw new UsageError(`${dir}: not a results directory (no ${RESOLVED})`);
  const source = readScenarioSource(file); // bad YAML: a ScenarioError at file:line:col (exit 2)
  const s = source.toJS() as Partial<ResolvedScenario> | null;
  if (!s || typeof s !== 'object' || !s.population || !s.architecture || !s.experiment) {
    throw new UsageError(`${file}: not a resolved scenario (expected architecture, population and experiment)`);
  }
  return { scenario: { ...s, figures: s.figures ?? [], plugins: s.plugins ?? [] } as ResolvedScenario, source };
}

/** The runs of a sweep (`runs/<id>/`) that are results directories themselves. */
function runDirectories(dir: string): string[] {
  const runs = join(dir, 'runs');
  if (!existsSync(runs) || !statSync(runs).isDirectory()) return [];
  return readdirSync(runs)
    .sort()
    .map((name) => join(runs, name))
    .filter((path) => existsSync(join(path, RESOLVED)));
}

async function plot(dir: string, flags: PluginFlags): Promise<void> {
  const unfinished = partialToPlot(dir);
  if (unfinished) {
    process.stdout.write(await plotPartialRun(await createSrnn(flags), dir, unfinished));
    return;
  }
  const scenario = readResolvedScenario(dir);
  const srnn = await createSrnn(flags);
  const targets: [string, ResultsScenario][] = [[dir, scenario], ...runDirectories(dir).map((run): [string, ResultsScenario] => [run, readResolvedScenario(run)])];
  const written: string[] = [];
  for (const [target, { scenario: resolved, source }] of targets) {
    // figures a scenario's own plugins contribute: only modules named with --plugin (resolved
    // scenarios hold absolute plugin paths), or with --allow-plugins inside the results directory
    await srnn.loadScenarioPlugins(source, { allowPlugins: flags.allowPlugins });
    written.push(...(await renderFigures(target, resolved, srnn.registry)));
  }
  process.stdout.write(written.length > 0 ? written.join('\n') + '\n' : `${dir}: no figures to draw (no figure plugin has data here)\n`);
  if (isPartial(partialPath(resolve(dir)))) process.stdout.write(`(${dir} is being run again, unfinished: srnn plot ${dir}.partial draws what it has so far)\n`);
}

export function registerPlotCommand(program: Command): void {
  const command = program
    .command('plot')
    .description("redraw the figures of a saved results directory (a run's or a sweep's, with its runs/*); of an unfinished run, what it has so far (into <out>.so-far/)")
    .argument('<results-dir>', 'a directory written by srnn run (or <out>.partial, an unfinished run with checkpoints)');
  pluginOptions(command).action(action(plot));
}
