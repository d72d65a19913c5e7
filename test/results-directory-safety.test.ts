import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI_MAIN, describeCli, readJson, runCli, smallScenario, tempDir, writeFile, type CliResult } from './support/helpers';
import { snapshot } from './support/snapshot';

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

/** A refusal: exit 2, one line on stderr matching `message`, nothing on stdout (the run never started). */
function assertRefused(result: CliResult, message: RegExp): void {
  assertExit(result, 2);
  assert.match(result.stderr, message);
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one line, no progress of a run:\n${result.stderr}`);
  assert.equal(result.stdout, '');
}

/** Entries srnn makes beside a results directory while writing it: none may be left. */
function srnnLeftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('.srnn-'));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

const SWEEP = ['name: sw', 'seed: 4', 'architecture: { type: weightwise }', 'population: { size: 4 }', 'experiment: { type: self-train, steps: 5 }', 'replicates: 2', ''].join('\n');
/** Runs for many seconds (long enough to be caught while running), reporting progress on stderr. */
const LONG = smallScenario({ size: 40, steps: 2_000_000, seed: 5 });

/** Starts `srnn <args>` in the background; resolves once its stderr matches `ready`. */
function startCli(args: readonly string[], cwd: string, ready: RegExp): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, env: { ...process.env, SRNN_DEBUG: '' } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  void exited.then(() => clearTimeout(killer));
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (ready.test(stderr)) resolve({ child, exited });
    });
    void exited.then((code) => reject(new Error(`srnn exited ${code} before ${ready}:\n${stderr}`)));
  });
}

describe('--out never replaces what srnn did not write (CLI)', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-out-safety-');
    writeFile(dir, 's.yaml', smallScenario({ size: 4, steps: 5, seed: 1 }));
    writeFile(dir, 's2.yaml', smallScenario({ size: 4, steps: 5, seed: 2 }));
    writeFile(dir, 'sweep.yaml', SWEEP);
  });

  test('--out DIR holding a user file: refused (exit 2, what is there and what to do), the file kept', () => {
    mkdirSync(join(dir, 'mine'));
    writeFile(join(dir, 'mine'), 'notes.txt', 'my notes\n');
    const result = runCli(['run', 's.yaml', '--out', 'mine'], dir);
    assertRefused(result, /^srnn: refusing to replace mine \(.*\): it is a directory holding 1 entry \(notes\.txt\) that srnn did not write; .*choose another --out/);
    assert.deepEqual(snapshot(join(dir, 'mine')), { 'notes.txt': 'my notes\n' });
    assert.deepEqual(srnnLeftovers(dir), []);
  });

  test('--out . (the working directory, with the scenario and a .git folder): refused, nothing touched', () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, '.git'), { recursive: true });
    writeFile(join(project, '.git'), 'HEAD', 'ref: refs/heads/main\n');
    writeFile(project, 'x.yaml', smallScenario({ size: 4, steps: 5 }));
    writeFile(project, 'paper.md', 'draft\n');
    const before = snapshot(project);
    assertRefused(runCli(['run', 'x.yaml', '--out', '.'], project), /^srnn: refusing to replace \. \(.*project\): it is the working directory/);
    assertRefused(runCli(['run', 'x.yaml', '--out', project], project), /it is the working directory/);
    assert.deepEqual(snapshot(project), before);
  });

  test('--out .. and / (parents of the working directory): refused, nothing touched', () => {
    const work = join(dir, 'parent', 'work');
    mkdirSync(work, { recursive: true });
    writeFile(join(dir, 'parent'), 'keep.txt', 'keep\n');
    writeFile(work, 'x.yaml', smallScenario({ size: 4, steps: 5 }));
    const before = snapshot(join(dir, 'parent'));
    assertRefused(runCli(['run', 'x.yaml', '--out', '..'], work), /^srnn: refusing to replace \.\. \(.*parent\): it holds the working directory/);
    assertRefused(runCli(['run', 'x.yaml', '--out', '/'], work), /^srnn: refusing to replace \/: it holds the working directory/);
    assert.deepEqual(snapshot(join(dir, 'parent')), before);
  });

  test("an existing file, '' and a symbolic link: refused, nothing touched", () => {
    writeFile(dir, 'afile', 'data\n');
    assertRefused(runCli(['run', 's.yaml', '--out', 'afile'], dir), /^srnn: refusing to replace afile \(.*\): it is a file \(5 bytes\)/);
    assert.equal(readFileSync(join(dir, 'afile'), 'utf8'), 'data\n');
    assertRefused(runCli(['run', 's.yaml', '--out', ''], dir), /^srnn: cannot write results to '': the path is empty/);
    mkdirSync(join(dir, 'linked'));
    symlinkSync('linked', join(dir, 'link'));
    assertRefused(runCli(['run', 's.yaml', '--out', 'link'], dir), /^srnn: refusing to replace link \(.*\): it is a symbolic link \(to linked\)/);
    assert.deepEqual(readdirSync(join(dir, 'linked')), []);
    assert.deepEqual(srnnLeftovers(dir), []);
  });

  test("the scenario's own folder (even a results directory holding the scenario being rerun): refused", () => {
    const own = join(dir, 'own');
    mkdirSync(own);
    writeFile(own, 'x.yaml', smallScenario({ size: 4, steps: 5 }));
    assertRefused(runCli(['run', 'own/x.yaml', '--out', 'own'], dir), /^srnn: refusing to replace own \(.*\): it holds own\/x\.yaml, the scenario being run/);
    assertExit(runCli(['run', 's.yaml', '--out', 'first'], dir), 0);
    const before = snapshot(join(dir, 'first'));
    assertRefused(runCli(['run', 'first/scenario.resolved.yaml', '--out', 'first'], dir), /it holds first\/scenario\.resolved\.yaml, the scenario being run/);
    assert.deepEqual(snapshot(join(dir, 'first')), before);
  });

  test('results of an older srnn (no marker) are refused with a hint, not replaced', () => {
    assertExit(runCli(['run', 's.yaml', '--out', 'older'], dir), 0);
    const marker = readFileSync(join(dir, 'older', '.srnn-results'), 'utf8');
    writeFileSync(join(dir, 'older', '.srnn-results'), ''); // no valid marker any more
    const before = snapshot(join(dir, 'older'));
    assertRefused(
      runCli(['run', 's.yaml', '--out', 'older'], dir),
      /^srnn: refusing to replace older \(.*\): it has no \.srnn-results marker \(results of an srnn older than .* have none.*\); delete it yourself/,
    );
    assert.deepEqual(snapshot(join(dir, 'older')), before);
    assert.ok(marker.length > 0);
  });

  test('a results directory srnn wrote is marked and replaced by a rerun; an empty directory may be used', () => {
    assertExit(runCli(['run', 's.yaml', '--out', 'again'], dir), 0);
    const marker = readJson<{ format: number; kind: string; srnn: string; writer: { pid: number; hostname: string } }>(join(dir, 'again', '.srnn-results'));
    assert.equal(marker.format, 1);
    assert.equal(marker.kind, 'run');
    assert.match(marker.srnn, /^\d+\.\d+\.\d+/);
    assert.equal(marker.writer.hostname, hostname());
    assertExit(runCli(['run', 's2.yaml', '--out', 'again'], dir), 0);
    assert.equal(readJson<{ seed: number }>(join(dir, 'again', 'summary.json')).seed, 2);
    mkdirSync(join(dir, 'empty'));
    assertExit(runCli(['run', 's.yaml', '--out', 'empty'], dir), 0);
    assert.ok(existsSync(join(dir, 'empty', 'weights.json')));
    assert.deepEqual(srnnLeftovers(dir), []);
  });

  test('sweeps: a user folder is refused; a sweep results directory is marked `sweep` and replaced by a rerun', () => {
    mkdirSync(join(dir, 'data'));
    writeFile(join(dir, 'data'), 'measurements.csv', '1,2\n');
    assertRefused(runCli(['run', 'sweep.yaml', '--out', 'data', '--workers', '1'], dir), /^srnn: refusing to replace data \(.*\): it is a directory holding 1 entry \(measurements\.csv\)/);
    assert.deepEqual(snapshot(join(dir, 'data')), { 'measurements.csv': '1,2\n' });
    assertExit(runCli(['run', 'sweep.yaml', '--out', 'swept', '--workers', '1'], dir), 0);
    assert.equal(readJson<{ kind: string }>(join(dir, 'swept', '.srnn-results')).kind, 'sweep');
    assertExit(runCli(['run', 'sweep.yaml', '--out', 'swept', '--workers', '2', '--seed', '9'], dir), 0);
    assert.match(readFileSync(join(dir, 'swept', 'scenario.resolved.yaml'), 'utf8'), /^seed: 9$/m);
    const run = join('swept', 'runs', readdirSync(join(dir, 'swept', 'runs'))[0]);
    assertRefused(runCli(['run', 's.yaml', '--out', run], dir), /^srnn: refusing to replace .*: it is part of the results directory .*swept \(a sweep's run or a paper's experiment\)/);
    assert.deepEqual(srnnLeftovers(dir), []);
  });

  test('srnn paper --out: a user folder and the scenarios folder are refused; its results are marked `paper`', () => {
    const scenarios = join(dir, 'paper-scenarios');
    mkdirSync(scenarios);
    writeFile(scenarios, 'tiny.yaml', smallScenario({ size: 4, steps: 5, seed: 3 }));
    mkdirSync(join(dir, 'thesis'));
    writeFile(join(dir, 'thesis'), 'chapter1.tex', '\\chapter{One}\n');
    const paper = (out: string) => runCli(['paper', '--scenarios', 'paper-scenarios', '--out', out, '--workers', '1'], dir);
    assertRefused(paper('thesis'), /^srnn: refusing to replace thesis \(.*\): it is a directory holding 1 entry \(chapter1\.tex\)/);
    assert.deepEqual(snapshot(join(dir, 'thesis')), { 'chapter1.tex': '\\chapter{One}\n' });
    assertRefused(paper('paper-scenarios'), /it holds .*tiny\.yaml, the scenario being run/);
    assert.deepEqual(readdirSync(scenarios), ['tiny.yaml']);
    assertExit(paper('paper-out'), 0);
    assert.equal(readJson<{ kind: string }>(join(dir, 'paper-out', '.srnn-results')).kind, 'paper');
    assertExit(paper('paper-out'), 0);
    assert.ok(existsSync(join(dir, 'paper-out', 'report.md')));
    assert.deepEqual(srnnLeftovers(dir), []);
  });
});

describe('one writer per --out: a lock a dead process does not hold', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-out-lock-');
    writeFile(dir, 's.yaml', smallScenario({ size: 4, steps: 5, seed: 1 }));
    writeFile(dir, 'long.yaml', LONG);
    writeFile(dir, 'sweep.yaml', SWEEP);
  });

  test('a second run into the --out of a running one is refused (exit 2, naming its pid); the first is unaffected', async () => {
    const first = await startCli(['run', 'long.yaml', '--out', 'shared'], dir, /steps \(/);
    try {
      assert.ok(existsSync(join(dir, '.srnn-lock-shared')));
      const second = runCli(['run', 's.yaml', '--out', 'shared'], dir);
      assertRefused(second, new RegExp(`^srnn: another srnn process \\(pid ${first.child.pid}\\) is writing shared; wait for it to finish or choose another --out`));
      assertRefused(runCli(['run', 'sweep.yaml', '--out', 'shared', '--workers', '1'], dir), /another srnn process .* is writing shared/);
    } finally {
      first.child.kill('SIGINT');
      await first.exited;
    }
    assert.equal(existsSync(join(dir, 'shared')), false, 'the interrupted run wrote nothing');
    assert.deepEqual(srnnLeftovers(dir), [], 'its lock and temporary directory are gone');
  });

  test("a lock left by a dead process is taken over; a live process's (or another host's) is not", () => {
    const lock = join(dir, '.srnn-lock-taken');
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), hostname: hostname(), target: join(dir, 'taken') }));
    assertExit(runCli(['run', 's.yaml', '--out', 'taken'], dir), 0);
    assert.ok(existsSync(join(dir, 'taken', 'weights.json')));
    assert.equal(existsSync(lock), false, 'released after the run');

    writeFileSync(lock, JSON.stringify({ pid: process.pid, hostname: hostname() }));
    assertRefused(runCli(['run', 's.yaml', '--out', 'taken'], dir), new RegExp(`another srnn process \\(pid ${process.pid}\\) is writing taken`));
    writeFileSync(lock, JSON.stringify({ pid: 4242, hostname: 'elsewhere.example' }));
    assertRefused(runCli(['run', 's.yaml', '--out', 'taken'], dir), /another srnn process \(pid 4242 on elsewhere\.example\) is writing taken; .*if it no longer runs, delete .*\.srnn-lock-taken/);
  });
});

describe('stale temporary directories of dead processes', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-out-stale-');
    writeFile(dir, 's.yaml', smallScenario({ size: 4, steps: 5, seed: 1 }));
    writeFile(dir, 'long.yaml', LONG);
  });

  /** A directory as srnn's temporary ones look, with a marker naming `writer` (none when undefined). */
  function fakeTemporary(name: string, writer?: { pid: number; hostname: string }): void {
    mkdirSync(join(dir, 'results', name), { recursive: true });
    writeFile(join(dir, 'results', name), 'census.csv', 'step\n');
    if (writer) writeFile(join(dir, 'results', name), '.srnn-results', JSON.stringify({ format: 1, kind: 'run', srnn: '0.1.0', writer, created: '' }));
  }

  test('only directories srnn made (name, marker, writer gone on this host) are removed by the next run beside them', () => {
    const dead = deadPid();
    const here = hostname();
    fakeTemporary(`.srnn-tmp-a-${dead}-1`, { pid: dead, hostname: here });
    fakeTemporary(`.srnn-tmp-b-${dead}-2-old`, { pid: 1, hostname: here }); // an old results directory on its way out
    fakeTemporary(`.srnn-tmp-c-${process.pid}-3`, { pid: process.pid, hostname: here }); // its writer still runs
    fakeTemporary(`.srnn-tmp-d-${dead}-4`); // no marker: not known to be srnn's
    fakeTemporary(`.srnn-tmp-e-${dead}-5`, { pid: dead + 1, hostname: here }); // the marker names another process
    fakeTemporary(`.srnn-tmp-f-${dead}-6`, { pid: dead, hostname: 'elsewhere.example' }); // cannot be checked here
    fakeTemporary(`.srnn-tmpfoo-${dead}-7`, { pid: dead, hostname: here }); // not the pattern
    writeFile(join(dir, 'results'), `.srnn-tmp-g-${dead}-8`, 'a file\n');
    mkdirSync(join(dir, 'results', 'b'));
    writeFile(join(dir, 'results', 'b'), '.srnn-results', JSON.stringify({ format: 1, kind: 'run', srnn: '0.1.0', writer: { pid: 1, hostname: here }, created: '' }));

    assertExit(runCli(['run', 's.yaml', '--out', 'results/b'], dir), 0);
    assert.deepEqual(readdirSync(join(dir, 'results')).sort(), [
      `.srnn-tmp-c-${process.pid}-3`,
      `.srnn-tmp-d-${dead}-4`,
      `.srnn-tmp-e-${dead}-5`,
      `.srnn-tmp-f-${dead}-6`,
      `.srnn-tmp-g-${dead}-8`,
      `.srnn-tmpfoo-${dead}-7`,
      'b',
    ]);
    assert.ok(existsSync(join(dir, 'results', 'b', 'weights.json')));
  });

  for (const signal of ['SIGKILL', 'SIGHUP'] as const) {
    test(`what a run killed with ${signal} leaves (temporary directory, lock) is cleaned up by the next run beside it`, async () => {
      const parent = join(dir, signal);
      mkdirSync(parent);
      const killed = await startCli(['run', 'long.yaml', '--out', `${signal}/r`], dir, /steps \(/);
      killed.child.kill(signal);
      await killed.exited;
      const left = srnnLeftovers(parent).sort();
      // SIGKILL cannot be handled: both are left; a SIGHUP handler (should srnn get one) may clean up itself
      if (signal === 'SIGKILL' || left.length > 0) {
        assert.equal(left.length, 2, `a temporary directory and a lock are left: ${left}`);
        assert.match(left[0], /^\.srnn-lock-r$/);
        assert.match(left[1], /^\.srnn-tmp-r-\d+-\d+$/);
      }

      assertExit(runCli(['run', 's.yaml', '--out', `${signal}/other`], dir), 0);
      assert.deepEqual(srnnLeftovers(parent), left.length > 0 ? ['.srnn-lock-r'] : [], 'the temporary directory is gone, the lock of another target is left to its run');
      assertExit(runCli(['run', 's.yaml', '--out', `${signal}/r`], dir), 0);
      assert.deepEqual(srnnLeftovers(parent), []);
      assert.deepEqual(readdirSync(parent).sort(), ['other', 'r']);
    });
  }
});

/** Mounts a tmpfs of `size` at `dir`; false when this machine does not allow it (not root, no mount). */
function mountTmpfs(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  return result.status === 0;
}

describe('a run that cannot write its results (a real full or read-only file system)', () => {
  let dir: string;
  const mounts: string[] = [];
  let skip: string | false = false;

  before(() => {
    dir = tempDir('srnn-out-full-');
    writeFile(dir, 's.yaml', smallScenario({ size: 4, steps: 5, seed: 1 }));
    writeFile(dir, 'big.yaml', [smallScenario({ size: 50, steps: 3000, censusEvery: 1 }).trimEnd(), 'output: { events: true }', ''].join('\n'));
    writeFile(
      dir,
      'sweep.yaml',
      ['name: sw', 'seed: 4', 'architecture: { type: weightwise }', 'population: { size: 50 }', 'experiment: { type: self-train, steps: 300, censusEvery: 1 }', 'replicates: 80', ''].join('\n'),
    );
    for (const [name, options] of [
      ['full', 'size=512k'],
      ['ro', 'size=64k,ro'],
    ] as const) {
      if (!mountTmpfs(join(dir, name), options)) {
        skip = 'mounting a tmpfs is not allowed here (it needs root)';
        break;
      }
      mounts.push(join(dir, name));
    }
  });

  after(() => {
    for (const mount of mounts) spawnSync('umount', [mount]);
  });

  test('disk full: exit 1 with one line, no stack trace; an earlier results directory and the disk are left as they were', (t) => {
    if (skip) return t.skip(skip);
    assertExit(runCli(['run', 's.yaml', '--out', 'full/prev'], dir), 0);
    const before = snapshot(join(dir, 'full', 'prev'));
    const result = runCli(['run', 'big.yaml', '--out', 'full/prev'], dir);
    assertExit(result, 1);
    assert.equal(result.stderr.trimEnd().split('\n').pop(), 'srnn: cannot write results to full/prev: no space left on device');
    assert.doesNotMatch(result.stderr, /\n\s+at |Node\.js v/, 'no stack trace');
    assert.deepEqual(snapshot(join(dir, 'full', 'prev')), before);
    assert.deepEqual(readdirSync(join(dir, 'full')), ['prev'], 'no temporary directory, no lock');
  });

  test('disk full in a sweep (runs written by worker threads): exit 1 with one line, nothing left', (t) => {
    if (skip) return t.skip(skip);
    const result = runCli(['run', 'sweep.yaml', '--out', 'full/sweep', '--workers', '2'], dir);
    assertExit(result, 1);
    assert.equal(result.stderr.trimEnd().split('\n').pop(), 'srnn: cannot write results to full/sweep: no space left on device');
    assert.doesNotMatch(result.stderr, /\n\s+at |Node\.js v/);
    assert.deepEqual(readdirSync(join(dir, 'full')), ['prev']);
  });

  test('a read-only file system: exit 1 with one line, nothing written', (t) => {
    if (skip) return t.skip(skip);
    const result = runCli(['run', 's.yaml', '--out', 'ro/r'], dir);
    assertExit(result, 1);
    assert.equal(result.stderr, 'srnn: cannot write results to ro/r: read-only file system\n');
    assert.deepEqual(readdirSync(join(dir, 'ro')), []);
  });
});
