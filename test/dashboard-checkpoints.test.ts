import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { CLI_MAIN, runCli, tempDir, writeFile } from './support/helpers';
import { assertSameResults, checkpointCursor, resume } from './support/checkpoints';

/**
 * `srnn run --dashboard` with checkpoints: a page that follows the run asks for detail (interactions,
 * snapshots) the run would not produce otherwise; the results, a resumed run's too, stay those of a
 * run without the dashboard.
 */

const SOUP = `seed: 11
architecture: { type: weightwise }
population: { size: 400 }
experiment:
  type: soup
  epochs: 240
  interactions:
    - { type: attack, rate: 0.1 }
    - { type: learn-from, rate: 0.1, severity: 1 }
    - { type: self-train, steps: 5, lr: 0.04 }
  respawn: { divergent: true, zero: true }
  censusEvery: 5
  snapshotEvery: 20
checkpoint: { every: 10 }
`;

interface DashboardRun {
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once a page follows the run's event stream (and has received its first bytes). */
  readonly following: Promise<void>;
  readonly kill: (signal: NodeJS.Signals) => void;
  /** Bytes the page has received so far. */
  received(): number;
  stdout(): string;
}

/** Starts `srnn run --dashboard 0` and connects a page (the event stream) as soon as the URL is printed. */
function runWithPage(dir: string, out: string): DashboardRun {
  const child = spawn(process.execPath, [CLI_MAIN, 'run', 'soup.yaml', '--out', out, '--dashboard', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  let bytes = 0;
  let connecting = false;
  let page: IncomingMessage | undefined;
  let follow: () => void;
  const following = new Promise<void>((resolve) => (follow = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const url = /dashboard: (http:\/\/\S+)/.exec(stdout);
    if (url && !connecting) {
      connecting = true;
      get(`${url[1].replace(/\/$/, '')}/events`, (response) => {
        page = response;
        response.on('data', (data: Buffer) => {
          bytes += data.length;
          follow();
        });
        response.on('error', () => undefined);
      }).on('error', () => undefined);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  void exited.then(() => {
    clearTimeout(killer);
    page?.destroy();
  });
  return { exited, following, kill: (signal) => child.kill(signal), received: () => bytes, stdout: () => stdout };
}

describe('srnn run --dashboard with checkpoints', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-dashboard-checkpoints-');
    writeFile(dir, 'soup.yaml', SOUP);
    const reference = runCli(['run', 'soup.yaml', '--out', 'reference'], dir);
    assert.equal(reference.status, 0, reference.stderr);
  });

  test('a page follows the run to its end: the results equal a run without the dashboard', async () => {
    const run = runWithPage(dir, 'followed');
    await run.following;
    const ended = setInterval(() => {
      if (/the run has ended/.test(run.stdout())) run.kill('SIGINT');
    }, 20);
    const { code } = await run.exited;
    clearInterval(ended);
    assert.match(run.stdout(), /the run has ended/, 'the run ended before Ctrl-C');
    assert.equal(code, 130, 'Ctrl-C ends the dashboard');
    assert.ok(run.received() > 1000, `the page received the run (${run.received()} bytes)`);
    assertSameResults(join(dir, 'reference'), join(dir, 'followed'));
  });

  test('killed (SIGKILL) after a checkpoint while a page follows it, then resumed: the results equal a run without the dashboard', async () => {
    const run = runWithPage(dir, 'cut');
    await run.following;
    const partial = join(dir, 'cut.partial');
    const poll = setInterval(() => {
      if (checkpointCursor(partial) >= 30) run.kill('SIGKILL');
    }, 5);
    const { signal } = await run.exited;
    clearInterval(poll);
    assert.equal(signal, 'SIGKILL', 'killed before the run ended');
    assert.ok(checkpointCursor(partial) >= 30, 'a checkpoint to resume from');
    await resume(dir, 'cut');
    assertSameResults(join(dir, 'reference'), join(dir, 'cut'));
  });
});
