import { spawn } from 'node:child_process';
import { CLI_MAIN } from './helpers';

export interface Interrupted {
  /** Exit code (null when the signal killed srnn before it could handle it). */
  readonly status: number | null;
  /** The signal that killed srnn, if one did. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From sending the signal to the exit. */
  readonly ms: number;
}

export interface InterruptOptions {
  /** The signal (default SIGINT). */
  readonly signal?: NodeJS.Signals;
  /** How long after `ready` matched stderr (or after the start, when `ready` is omitted) to send it; default 700 ms. */
  readonly after?: number;
  /** Send it twice, 20 ms apart, as when `npx` forwards the terminal's Ctrl-C to a process that got it too. */
  readonly twice?: boolean;
}

/**
 * Starts `srnn <args>`, sends a signal once stderr matches `ready` (and `after` ms later), resolves
 * when it exits.
 */
export function interrupted(args: readonly string[], cwd: string, ready?: RegExp, options: InterruptOptions = {}): Promise<Interrupted> {
  const { signal = 'SIGINT', after = 700, twice = false } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, env: { ...process.env, SRNN_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    let sent = 0;
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const send = () => {
      sent = -1;
      setTimeout(() => {
        sent = performance.now();
        child.kill(signal);
        if (twice) setTimeout(() => child.exitCode === null && child.kill(signal), 20);
      }, after);
    };
    if (!ready) send();
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && ready?.test(stderr)) send();
    });
    child.on('error', reject);
    child.on('exit', (status, killedBy) => {
      clearTimeout(killer);
      resolve({ status, signal: killedBy, stdout, stderr, ms: sent > 0 ? performance.now() - sent : Number.NaN });
    });
  });
}
