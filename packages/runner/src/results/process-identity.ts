import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Which process wrote something (a lock, a temporary directory): enough to tell later whether it still runs. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
  /** The process's start time in clock ticks since boot (Linux), so that a reused pid is not taken for it. */
  readonly startTicks?: string;
}

/** This process. */
export function currentProcess(): ProcessIdentity {
  const startTicks = startTicksOf(process.pid);
  return { pid: process.pid, hostname: hostname(), ...(startTicks === undefined ? {} : { startTicks }) };
}

/**
 * Whether the process still runs: false when it is gone (or its pid now belongs to a younger
 * process), true when it runs, undefined when that cannot be known here (another host).
 */
export function processAlive(owner: ProcessIdentity): boolean | undefined {
  if (owner.hostname !== hostname()) return undefined;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const ticks = owner.startTicks === undefined ? undefined : startTicksOf(owner.pid);
  return ticks === undefined || ticks === owner.startTicks;
}

/** Parses a ProcessIdentity out of untrusted JSON (a lock file, a marker), undefined when it is not one. */
export function asProcessIdentity(value: unknown): ProcessIdentity | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { pid, hostname: host, startTicks } = value as Record<string, unknown>;
  if (!Number.isInteger(pid) || typeof host !== 'string') return undefined;
  if (startTicks !== undefined && typeof startTicks !== 'string') return undefined;
  return { pid: pid as number, hostname: host, ...(startTicks === undefined ? {} : { startTicks }) };
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
