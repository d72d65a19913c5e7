import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { SweepRunOutcome } from '@srnn/runner';

/** Compressed results of one run at most (a job's return value lives in Redis, which holds it in memory). */
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024;

/** A finished job's return value: the run's outcome and its results files, compressed. */
export interface RunJobResult {
  readonly format: 1;
  /** Which worker ran it (host:pid). */
  readonly worker: string;
  /** Base64 of the brotli-compressed JSON of PackedRun. */
  readonly packed: string;
}

interface PackedRun {
  readonly outcome: Omit<SweepRunOutcome, 'meanLoss'> & { readonly meanLoss?: number | string };
  /** Path relative to the run's directory (with '/') → base64 of its bytes. */
  readonly files: Record<string, string>;
}

/** Results larger than the queue carries. */
export class ResultTooLargeError extends Error {}

/** Packs a run's outcome and every file of its directory (as the run wrote them) into a job's return value. */
export function packRunResult(outcome: SweepRunOutcome, dir: string, worker: string, maxBytes = DEFAULT_MAX_RESULT_BYTES): RunJobResult {
  const files: Record<string, string> = {};
  for (const file of filesUnder(dir)) files[relative(dir, file).split(sep).join('/')] = readFileSync(file).toString('base64');
  // a mean loss may be NaN or infinite, which JSON cannot hold
  const meanLoss = outcome.meanLoss === undefined || Number.isFinite(outcome.meanLoss) ? outcome.meanLoss : String(outcome.meanLoss);
  const json = JSON.stringify({ outcome: { ...outcome, meanLoss }, files } satisfies PackedRun);
  const compressed = brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } });
  if (compressed.length > maxBytes) {
    throw new ResultTooLargeError(
      `its results are ${megabytes(compressed.length)} compressed, more than the queue carries (${megabytes(maxBytes)}): run this sweep without --queue, or write less (e.g. no events.jsonl)`,
    );
  }
  return { format: 1, worker, packed: compressed.toString('base64') };
}

/** Writes the files of a packed run into `dir` (created when missing) and returns its outcome. */
export function unpackRunResult(result: RunJobResult, dir: string | undefined): SweepRunOutcome {
  if (result?.format !== 1) throw new Error(`a job's result has an unknown format (${String(result?.format)}): is the worker another srnn version?`);
  const packed = JSON.parse(brotliDecompressSync(Buffer.from(result.packed, 'base64')).toString('utf8')) as PackedRun;
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true });
    for (const [path, data] of Object.entries(packed.files)) {
      if (path.split('/').includes('..')) throw new Error(`a job's result names a file outside its run directory: ${path}`);
      const target = join(dir, ...path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, Buffer.from(data, 'base64'));
    }
  }
  const { meanLoss } = packed.outcome;
  return { ...packed.outcome, meanLoss: typeof meanLoss === 'string' ? Number(meanLoss) : meanLoss };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
