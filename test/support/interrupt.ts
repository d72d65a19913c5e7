import { spawn } from 'node:child_process';
import { CLI_MAIN } from './helpers';

/** Starts `srnn <args>`, sends SIGINT once stderr matches `ready` (and a moment later), resolves when it exits. */
export function interrupted(args: readonly string[], cwd: string, ready: RegExp): Promise<{ status: number | null; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, env: { ...process.env, SRNN_DEBUG: '' } });
    let stderr = '';
    let sent = 0;
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && ready.test(stderr)) {
        setTimeout(() => {
          sent = performance.now();
          child.kill('SIGINT');
        }, 700);
        sent = -1;
      }
    });
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(killer);
      resolve({ status, stderr, ms: sent > 0 ? performance.now() - sent : Number.NaN });
    });
  });
}
