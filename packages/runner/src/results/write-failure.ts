import { relative, resolve, sep } from 'node:path';

/** The results could not be written (disk full, no permission, read-only file system …): exit 1, one line. */
export class ResultsWriteError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'ResultsWriteError';
  }
}

/** Failures that come only from writing. */
const WRITE_ONLY = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG']);
/** Failures that come from writing when they concern the results' own files. */
const WRITE_HERE = new Set(['EACCES', 'EPERM', 'EIO', 'EBUSY', 'EMLINK', 'ENOTEMPTY', 'EEXIST']);

interface FsFailure {
  readonly code: string;
  readonly description: string;
  readonly path?: string;
}

/**
 * `error` as a ResultsWriteError — `cannot write results to DIR: no space left on device` — when
 * it is a file system failure of writing into `parent` (where the results, their temporary
 * directory and lock live) or creating it; otherwise `error` itself.
 */
export function asWriteFailure(error: unknown, shown: string, parent: string): unknown {
  if (error instanceof ResultsWriteError) return error;
  const failure = fsFailureOf(error);
  if (!failure) return error;
  const ours = WRITE_ONLY.has(failure.code) || (WRITE_HERE.has(failure.code) && (failure.path === undefined || within(parent, failure.path) || within(failure.path, parent)));
  return ours ? new ResultsWriteError(`cannot write results to ${shown}: ${failure.description}`, error) : error;
}

/**
 * A Node file system error's code, description and path. Errors from worker threads arrive as
 * plain Errors (structured cloning keeps only the message), so the message is parsed too:
 * `ENOSPC: no space left on device, write` or `EACCES: permission denied, open '/x/census.csv'`.
 */
function fsFailureOf(error: unknown): FsFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /^(E[A-Z0-9]+): ([^,]+), \w+(?: '([^']*)')?/.exec(error.message);
  const code = (error as NodeJS.ErrnoException).code ?? match?.[1];
  if (!code || !match || match[1] !== code) return undefined;
  return { code, description: match[2], path: (error as NodeJS.ErrnoException).path ?? match[3] };
}

function within(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}
