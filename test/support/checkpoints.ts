import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CLI_MAIN, type CliResult } from './helpers';

/** Every file of a results directory (its marker aside, unless `marker`: it names the process that wrote it), relative path → content. */
export function files(dir: string, marker = false): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (marker || name !== '.srnn-results') out.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/** Timing fields out: `elapsedMs` of summary.json, events.jsonl and a sweep's runs.json, and the last column (elapsed) of a sweep's runs.csv. */
export function untimed(name: string, content: Buffer): string | Buffer {
  if (name.endsWith('runs.csv')) return content.toString('utf8').replace(/,[^,\n]*\n/g, ',0\n');
  if (!/(summary|runs)\.json$|events\.jsonl$/.test(name)) return content;
  return content.toString('utf8').replace(/"elapsedMs":\s*[\d.e+-]+/g, '"elapsedMs":0');
}

/** The two results directories hold the same files with the same content, timing fields aside. */
export function assertSameResults(expected: string, actual: string): void {
  const a = files(expected);
  const b = files(actual);
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort(), 'the same files');
  for (const [name, content] of a) assert.deepEqual(untimed(name, b.get(name)!), untimed(name, content), `${name} identical`);
}

/** The cursor of the latest checkpoint in `<out>.partial`, or -1. */
export function checkpointCursor(partial: string): number {
  try {
    return (JSON.parse(readFileSync(join(partial, '.checkpoint', 'index.json'), 'utf8')) as { cursor: number }).cursor;
  } catch {
    return -1;
  }
}

/** Starts `srnn run`, SIGKILLs it once its checkpoint has reached `cursor` (after a random further delay), resolves when it is dead. */
export function runAndKill(dir: string, scenario: string, out: string, cursor: number): Promise<{ killedAt: number; finished: boolean }> {
  return spawnAndKill(dir, ['run', scenario, '--out', out], () => checkpointCursor(join(dir, `${out}.partial`)), cursor);
}

/** Starts `srnn <args>`, SIGKILLs it once `progress()` has reached `target` (after a random further delay), resolves when it is dead. */
export function spawnAndKill(dir: string, args: readonly string[], progress: () => number, target: number): Promise<{ killedAt: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: dir, stdio: 'ignore' });
    let killedAt = -1;
    const poll = setInterval(() => {
      const at = progress();
      if (at >= target && killedAt < 0) {
        killedAt = at;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 50);
      }
    }, 5);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ killedAt, finished: code === 0 });
    });
  });
}

/** `srnn resume out` succeeds, says so, and leaves no partial directory (without blocking: runs can go on beside it). */
export async function resume(dir: string, out: string): Promise<void> {
  const result = await runCliAsync(['resume', out], dir);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /srnn: resuming /);
  assert.equal(existsSync(join(dir, `${out}.partial`)), false, 'the partial directory is gone');
}

/**
 * Leaves in `<out>.partial/.checkpoint/` what a kill leaves at each stage of the next checkpoint
 * write — a torn temporary binary, the next binary complete but not yet indexed (here: garbage), a
 * torn temporary index — and events appended after the checkpoint (a resume cuts the log back).
 */
export function tearNextCheckpoint(partial: string): void {
  const checkpoint = join(partial, '.checkpoint');
  const index = JSON.parse(readFileSync(join(checkpoint, 'index.json'), 'utf8')) as { sequence: number };
  const next = index.sequence + 1;
  writeFileSync(join(checkpoint, `.state-${next}.bin.tmp-999999`), Buffer.alloc(1000, 7));
  writeFileSync(join(checkpoint, `state-${next}.bin`), Buffer.alloc(5000, 9));
  writeFileSync(join(checkpoint, '.index.json.tmp-999999'), '{"format":1,"cursor":');
  for (const name of ['events.jsonl', 'events.bin']) writeFileSync(join(checkpoint, name), Buffer.concat([readFileSync(join(checkpoint, name)), Buffer.from('{"kind":"census"}\n')]));
}

/** `srnn <args>` in `cwd` without blocking the test process (so that several run side by side). */
export function runCliAsync(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, env: { ...process.env, SRNN_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
