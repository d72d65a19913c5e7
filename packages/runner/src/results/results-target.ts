import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { SRNN_VERSION } from '@srnn/core';
import { asProcessIdentity, currentProcess, type ProcessIdentity } from './process-identity';

/** The file that marks a directory as a results directory srnn wrote (the only kind `--out` may replace). */
export const RESULTS_MARKER = '.srnn-results';

export type ResultsKind = 'run' | 'sweep' | 'paper';

/** The content of `.srnn-results`. */
export interface ResultsMarker {
  readonly format: 1;
  readonly kind: ResultsKind;
  /** The srnn version that wrote the directory. */
  readonly srnn: string;
  /** The process that wrote it (also tells whether an abandoned temporary directory's writer still runs). */
  readonly writer: ProcessIdentity;
  readonly created: string;
}

/** `--out` names something srnn must not replace, or another srnn process is writing it: bad input, exit 2. */
export class OutputDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirectoryError';
  }
}

/** What is at a results directory's path that may be replaced. */
export type ResultsTarget = { readonly state: 'missing' } | { readonly state: 'empty' } | { readonly state: 'results'; readonly marker: ResultsMarker };

export interface ResultsTargetOptions {
  /** Files the run reads (its scenario): a target that holds one of them is refused. */
  readonly inputs?: readonly string[];
}

const SUGGESTION = `srnn replaces only a results directory it wrote (one holding ${RESULTS_MARKER}) or an empty directory; choose another --out, or move it away yourself`;

/**
 * Checks that `outDir` may become a results directory without destroying anything srnn did not
 * write: nothing there, an empty directory, or a directory holding a valid marker — and neither
 * the working directory, one of its parents, nor a folder holding one of `inputs`. Touches nothing;
 * throws an OutputDirectoryError saying what is there and what to do.
 */
export function checkResultsTarget(outDir: string, options: ResultsTargetOptions = {}): ResultsTarget {
  if (outDir.trim() === '') throw new OutputDirectoryError(`cannot write results to '${outDir}': the path is empty; name a new directory, e.g. --out results/NAME`);
  const target = resolve(outDir);
  const shown = shownPath(outDir, target);
  const real = realPath(target, shown);
  const cwd = realpathSync(process.cwd());
  if (real === cwd) throw new OutputDirectoryError(`refusing to replace ${shown}: it is the working directory; name a new directory, e.g. --out results/NAME`);
  if (contains(real, cwd)) throw new OutputDirectoryError(`refusing to replace ${shown}: it holds the working directory (${cwd}); name a new directory, e.g. --out results/NAME`);
  for (const input of options.inputs ?? []) {
    if (!existsSync(input)) continue;
    if (contains(real, realpathSync(input))) throw new OutputDirectoryError(`refusing to replace ${shown}: it holds ${input}, the scenario being run; choose another --out`);
  }

  let stats: Stats;
  try {
    stats = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  if (stats.isSymbolicLink()) throw new OutputDirectoryError(`refusing to replace ${shown}: it is a symbolic link (to ${readlinkSync(target)}); ${SUGGESTION}`);
  if (!stats.isDirectory()) throw new OutputDirectoryError(`refusing to replace ${shown}: it is ${stats.isFile() ? `a file (${stats.size} bytes)` : 'not a directory'}; ${SUGGESTION}`);
  const entries = readdirSync(target);
  if (entries.length === 0) return { state: 'empty' };
  const marker = readResultsMarker(target);
  if (marker) return { state: 'results', marker };
  const whole = markedAncestor(target);
  if (whole) throw new OutputDirectoryError(`refusing to replace ${shown}: it is part of the results directory ${whole} (a sweep's run or a paper's experiment); choose another --out`);
  if (entries.includes('scenario.resolved.yaml') || entries.includes('report.md')) {
    throw new OutputDirectoryError(`refusing to replace ${shown}: it has no ${RESULTS_MARKER} marker (results of an srnn older than ${SRNN_VERSION} have none, so srnn cannot tell them from your files); delete it yourself (rm -r ${shown}) or choose another --out`);
  }
  throw new OutputDirectoryError(`refusing to replace ${shown}: it is a directory holding ${describeEntries(target, entries)} that srnn did not write; ${SUGGESTION}`);
}

/** The nearest parent of `path` that is a results directory, if any. */
function markedAncestor(path: string): string | undefined {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) if (readResultsMarker(dir)) return dir;
  return undefined;
}

/** The marker of a results directory, or undefined when `dir` holds none (or not a valid one). */
export function readResultsMarker(dir: string): ResultsMarker | undefined {
  const file = join(dir, RESULTS_MARKER);
  try {
    if (!lstatSync(file).isFile()) return undefined;
    const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const writer = asProcessIdentity(value.writer);
    const kind = value.kind;
    if (value.format !== 1 || (kind !== 'run' && kind !== 'sweep' && kind !== 'paper') || typeof value.srnn !== 'string' || !writer) return undefined;
    return { format: 1, kind, srnn: value.srnn, writer, created: String(value.created) };
  } catch {
    return undefined;
  }
}

/** Marks `dir` as a results directory of this process (written when its temporary directory is created). */
export function writeResultsMarker(dir: string, kind: ResultsKind): void {
  const marker: ResultsMarker = { format: 1, kind, srnn: SRNN_VERSION, writer: currentProcess(), created: new Date().toISOString() };
  writeFileSync(join(dir, RESULTS_MARKER), JSON.stringify(marker, null, 2) + '\n', { flag: 'wx' });
}

/** The path as the user gave it, with the absolute one when that says more (`.`, `..`). */
function shownPath(outDir: string, target: string): string {
  return outDir === target ? outDir : `${outDir} (${target})`;
}

/** `target` with symbolic links resolved in its existing ancestors (it need not exist itself). */
function realPath(target: string, shown: string): string {
  let existing = target;
  const rest: string[] = [];
  for (;;) {
    try {
      const stats = lstatSync(existing);
      if (existing !== target && !stats.isDirectory() && !(stats.isSymbolicLink() && isDirectory(existing))) {
        throw new OutputDirectoryError(`cannot write results to ${shown}: ${existing} is not a directory`);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      rest.unshift(basename(existing));
      existing = dirname(existing);
    }
  }
  // the target itself is not followed: a symbolic link there is refused, not replaced
  const real = existing === target ? join(realpathSync(dirname(target)), basename(target)) : realpathSync(existing);
  return join(real, ...rest);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** True when `inner` lies in `outer` (or is it). */
function contains(outer: string, inner: string): boolean {
  const path = relative(outer, inner);
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !path.startsWith(sep) && !/^[a-zA-Z]:/.test(path));
}

/** "3 entries (notes.txt, data/, .git/)": what a directory holds, for the refusal message. */
function describeEntries(dir: string, entries: readonly string[]): string {
  const names = [...entries].sort().slice(0, 3).map((name) => {
    try {
      return lstatSync(join(dir, name)).isDirectory() ? `${name}/` : name;
    } catch {
      return name;
    }
  });
  const more = entries.length > 3 ? ', …' : '';
  return `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} (${names.join(', ')}${more})`;
}
