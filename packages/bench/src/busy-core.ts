import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A busy loop that stops by itself once its parent (the bench) is gone, or after `maxSeconds`:
 * a bench stopped by Ctrl-C leaves no busy process behind.
 */
const LOOP = `
const parent = Number(process.argv[1]);
const end = Date.now() + 1000 * Number(process.argv[2]);
for (let next = 0; ; ) {
  const now = Date.now();
  if (now < next) continue;
  next = now + 200;
  if (now > end) process.exit(0);
  try { process.kill(parent, 0); } catch { process.exit(0); }
}`;

/**
 * Keeps one core busy, as another program would: a process of its own session (`detached`), so
 * that the scheduler shares the CPU between it and the bench's processes as between two programs
 * started from different terminals.
 */
export class BusyCore {
  private constructor(private readonly child: ChildProcess) {}

  static start(maxSeconds = 900): BusyCore {
    const child = spawn(process.execPath, ['-e', LOOP, String(process.pid), String(maxSeconds)], { detached: true, stdio: 'ignore' });
    return new BusyCore(child);
  }

  /** Stops it and waits until it has exited (and is reaped, so its CPU time is not counted as a measured child's). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}
