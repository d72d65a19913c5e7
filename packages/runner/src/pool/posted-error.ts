import { InitError, ScenarioError, type KeyPath } from '@srnn/core';

/**
 * An error as it crosses from a worker thread: posting keeps an Error's message and stack but
 * not its class or fields, which say what the caller does with it (a ScenarioError is bad input,
 * an InitError is located in the scenario file).
 */
export type PostedError =
  | { readonly kind: 'scenario'; readonly file: string; readonly line: number; readonly column: number; readonly detail: string; readonly stack?: string }
  | { readonly kind: 'init'; readonly path: KeyPath; readonly message: string; readonly stack?: string }
  | { readonly kind: 'other'; readonly error: unknown };

export function postableError(error: unknown): PostedError {
  if (error instanceof ScenarioError) return { kind: 'scenario', file: error.file, line: error.line, column: error.column, detail: error.detail, stack: error.stack };
  if (error instanceof InitError) return { kind: 'init', path: error.path, message: error.message, stack: error.stack };
  return { kind: 'other', error: cloneable(error) };
}

/** The error a PostedError stands for, of its class again. */
export function revivedError(posted: PostedError): unknown {
  if (posted.kind === 'other') return posted.error;
  const error = posted.kind === 'scenario' ? new ScenarioError(posted.file, posted.line, posted.column, posted.detail) : new InitError(posted.path, posted.message);
  if (posted.stack) error.stack = posted.stack;
  return error;
}

/** The error itself when it can be posted, else an Error with its message and stack. */
function cloneable(error: unknown): unknown {
  try {
    structuredClone(error);
    return error;
  } catch {
    const copy = new Error(error instanceof Error ? error.message : String(error));
    if (error instanceof Error) copy.stack = error.stack;
    return copy;
  }
}
