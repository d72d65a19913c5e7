import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** What a file a scenario names may hold at most, and how the limit is explained in an error. */
export interface FileLimit {
  readonly bytes: number;
  /** How the limit derives from the key, e.g. "population.size × weights × 48 bytes + 1 MiB". */
  readonly why?: string;
}

/** V8 cannot hold a longer string; no file srnn reads as text may be larger. */
export const MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024;

/**
 * A file that could not be read, or whose text is no JSON: `file:line:col: reason` (the position
 * where one exists). The reason never quotes the file's content.
 */
export class BoundedFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly position?: { readonly line: number; readonly column: number },
  ) {
    super(`${file}${position ? `:${position.line}:${position.column}` : ''}: ${reason}`);
    this.name = 'BoundedFileError';
  }
}

/**
 * Reads a file a scenario names as UTF-8 text, bounded: only a regular file (a directory, FIFO,
 * socket or device is refused from its stat, without reading from it — a FIFO is opened
 * non-blocking), at most `limit.bytes` (a file growing past it while being read is refused too).
 */
export function readBoundedText(file: string, limit: FileLimit): string {
  const bytes = Math.min(limit.bytes, MAX_TEXT_FILE_BYTES);
  const why = limit.why && bytes === limit.bytes ? ` (${limit.why})` : '';
  checkRegular(file, statOf(file), bytes, why);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw failure(file, error);
  }
  try {
    // the file may have been replaced since the stat: what was opened is checked again
    const stats = fstatSync(fd);
    checkRegular(file, stats, bytes, why);
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, bytes) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n;
    if (length > bytes) throw new BoundedFileError(file, `larger than the limit of ${formatBytes(bytes)}${why}`);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    throw error instanceof BoundedFileError ? error : failure(file, error);
  } finally {
    closeSync(fd);
  }
}

/** Reads a JSON file bounded as readBoundedText; a syntax error is reported at its line:col, without the text. */
export function readBoundedJson(file: string, limit: FileLimit): unknown {
  const text = readBoundedText(file, limit);
  try {
    return JSON.parse(text);
  } catch {
    const { offset, reason } = jsonSyntaxError(text);
    throw new BoundedFileError(file, `not JSON (${reason})`, lineAndColumn(text, offset));
  }
}

function statOf(file: string): Stats {
  try {
    return statSync(file);
  } catch (error) {
    throw failure(file, error);
  }
}

function checkRegular(file: string, stats: Stats, bytes: number, why: string): void {
  if (!stats.isFile()) throw new BoundedFileError(file, `not a regular file (${kindOf(stats)})`);
  if (stats.size > bytes) throw new BoundedFileError(file, `larger than the limit of ${formatBytes(bytes)}${why}: ${formatBytes(stats.size)}`);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function failure(file: string, error: unknown): BoundedFileError {
  const code = (error as NodeJS.ErrnoException).code;
  return new BoundedFileError(file, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`);
}

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- a JSON string may not hold raw control characters (U+0000–U+001F): the class excludes them
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Where JSON.parse failed and why, in words that quote nothing of the text (V8's messages quote
 * it). Only called on text JSON.parse rejected; iterative, so deep nesting cannot overflow.
 */
export function jsonSyntaxError(text: string): { offset: number; reason: string } {
  const closers: string[] = [];
  let i = 0;
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i])) i++;
  };
  const unexpected = (expected: string) => ({ offset: i, reason: i >= text.length ? `unexpected end of file; expected ${expected}` : `unexpected character; expected ${expected}` });
  const match = (pattern: RegExp) => {
    pattern.lastIndex = i;
    if (!pattern.test(text)) return false;
    i = pattern.lastIndex;
    return true;
  };
  // after each value: a comma, the closer of the innermost container, or the end
  for (;;) {
    skip();
    // a value
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      skip();
      if (text[i] === (c === '{' ? '}' : ']')) i++;
      else {
        closers.push(c === '{' ? '}' : ']');
        const missing = c === '{' ? key() : undefined;
        if (missing) return unexpected(missing);
        continue;
      }
    } else if (c === '"') {
      if (!match(STRING)) return { offset: i, reason: 'bad string' };
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      if (!match(NUMBER)) return { offset: i, reason: 'bad number' };
    } else if (text.startsWith('true', i) || text.startsWith('null', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else return unexpected('a value');
    // what follows it
    for (;;) {
      skip();
      if (closers.length === 0) {
        if (i < text.length) return unexpected('the end of the file');
        return { offset: i, reason: 'bad JSON' }; // not reached for text JSON.parse rejected
      }
      const closer = closers[closers.length - 1];
      if (text[i] === closer) {
        closers.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') return unexpected(`',' or '${closer}'`);
      i++;
      const missing = closer === '}' ? key() : undefined;
      if (missing) return unexpected(missing);
      break;
    }
  }

  /** Reads a property name and its colon; what was expected instead when they are not there. */
  function key(): string | undefined {
    skip();
    if (text[i] !== '"') return 'a property name in double quotes';
    if (!match(STRING)) return 'a property name in double quotes (bad string)';
    skip();
    if (text[i] !== ':') return "':' after the property name";
    i++;
    return undefined;
  }
}
