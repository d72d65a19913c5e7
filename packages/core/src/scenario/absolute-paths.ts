import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * A file a scenario names: `{ file: path }`, the path absolute or relative to the scenario file.
 * Plugins take files in their options with this schema (e.g. `fixpoints: { file: weights.json }`),
 * so that srnn resolves them — wherever in the scenario they are — as it does core's own.
 */
export function fileReferenceSchema(description: string) {
  return z.object({ file: z.string().min(1).describe(`${description}; absolute or relative to the scenario file`) }).strict();
}

/** `{ file: string }` and nothing else: the shape fileReferenceSchema parses to. */
function isFileReference(value: object): value is { file: string } {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'file' && typeof (value as { file: unknown }).file === 'string';
}

function resolveFiles<T>(value: T, base: string): T {
  if (Array.isArray(value)) return value.map((item: unknown) => resolveFiles(item, base)) as T;
  if (value === null || typeof value !== 'object') return value;
  if (isFileReference(value)) return { file: resolve(base, value.file) } as T;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveFiles(item, base)])) as T;
}

/**
 * Paths in a scenario are relative to its file; the resolved scenario holds them absolute so that
 * it can be rerun from anywhere (and by a worker thread): `plugins:` and every `{ file }` reference.
 */
export function withAbsolutePaths<S extends { readonly plugins: readonly string[] }>(scenario: S, base: string): S {
  return { ...resolveFiles(scenario, base), plugins: scenario.plugins.map((path) => resolve(base, path)) };
}
