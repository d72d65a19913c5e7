import { existsSync, statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { PARTICLE_CLASSES, type Run } from '@srnn/core';
import { DashboardServer, LiveRunSource, ResultsSource, type DashboardSource } from '@srnn/dashboard';
import type { Srnn } from '@srnn/runner';
import { action, UsageError } from '../command-support';
import { interruptibly } from '../interruption';

export interface DashboardFlags {
  /** `--dashboard [port]`: true without a port. */
  readonly dashboard?: number | true;
  readonly port?: number;
  readonly host?: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0 … 65535 (0: a free port)');
  return n;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];
const HOST_HELP = 'listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0: every interface); the page has no authentication';

/** Adds `--dashboard [port]` and `--host` to `srnn run`. */
export function dashboardOptions(command: Command): Command {
  return command
    .option('--dashboard [port]', 'serve a live dashboard of the run on 127.0.0.1:PORT (0 or none: a free port); the run executes in this process', port)
    .option('--host <address>', HOST_HELP);
}

async function serve(source: DashboardSource, portNumber: number, host: string | undefined): Promise<DashboardServer> {
  const server = await DashboardServer.start(source, { port: portNumber, host });
  process.stdout.write(`dashboard: ${server.url}\n`);
  if (host !== undefined && !LOOPBACK.includes(host)) {
    process.stderr.write(`srnn: warning: the dashboard listens on ${host} without authentication: whoever reaches ${server.url} sees the run and can pause or stop it\n`);
  }
  return server;
}

/** Waits for Ctrl-C (interruption.ts exits): the server keeps the process alive meanwhile. */
function untilInterrupted(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/**
 * `srnn run FILE --dashboard`: the run executes in this thread (all its events, detail included,
 * reach the page, and pause can hold it), its results written as without the dashboard; the page
 * then shows the final state until Ctrl-C.
 */
export async function runWithDashboard(srnn: Srnn, run: Run, out: string, flags: DashboardFlags): Promise<void> {
  const source = new LiveRunSource(run);
  const server = await serve(source, flags.dashboard === true ? 0 : (flags.dashboard ?? 0), flags.host);
  try {
    const result = await interruptibly({ cancel: () => run.cancel('interrupted'), terminate: () => server.close() }, () => srnn.runIntoDirectory(run, out));
    const size = run.scenario.population.size;
    const rows = PARTICLE_CLASSES.map((c) => `  ${c.padEnd(13)} ${String(result.census[c]).padStart(7)}  ${((100 * result.census[c]) / size).toFixed(1).padStart(5)} %`);
    const { status, progress } = source.run;
    const stopped = status === 'stopped' ? `stopped from the dashboard after ${progress.done} of ${progress.total}; ` : '';
    process.stdout.write(`${stopped}census after ${(result.elapsedMs / 1000).toFixed(2)} s:\n${rows.join('\n')}\nresults: ${out}\n`);
  } catch (error) {
    await server.close();
    throw error;
  }
  server.flush();
  process.stdout.write(`dashboard: the run has ended; ${server.url} shows it until Ctrl-C\n`);
  return untilInterrupted();
}

async function dashboard(dir: string, flags: DashboardFlags): Promise<void> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such directory`);
  let source: ResultsSource;
  try {
    source = new ResultsSource(dir);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  await serve(source, flags.port ?? 0, flags.host);
  return untilInterrupted();
}

export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description("serve the dashboard of a finished run's or sweep's results directory (until Ctrl-C)")
    .argument('<results-dir>', 'a results directory of srnn run')
    .option('--port <n>', 'port on 127.0.0.1 (default 0: a free port)', port)
    .option('--host <address>', HOST_HELP)
    .action(action(dashboard));
}
