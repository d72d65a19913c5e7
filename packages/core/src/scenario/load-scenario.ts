import type { z } from 'zod';
import { BoundedFileError, readBoundedText } from '@srnn/bounded-file';
import type { PluginRegistry } from '../registry';
import { buildScenarioSchema, type ResolvedScenario } from './schema';
import { ScenarioError } from './scenario-error';
import { ScenarioSource } from './scenario-source';

export interface LoadedScenario {
  readonly scenario: ResolvedScenario;
  readonly source: ScenarioSource;
}

/** A scenario file may be at most this large (a regular file; a FIFO or device is refused unread). */
export const MAX_SCENARIO_FILE_BYTES = 4 * 1024 * 1024;

export function readScenarioSource(file: string): ScenarioSource {
  let text: string;
  try {
    text = readBoundedText(file, { bytes: MAX_SCENARIO_FILE_BYTES, why: 'of a scenario file' });
  } catch (error) {
    if (!(error instanceof BoundedFileError)) throw error;
    throw new ScenarioError(file, 1, 1, error.reason === 'no such file' ? 'no such scenario file' : `cannot read scenario file: ${error.reason}`);
  }
  return ScenarioSource.parse(file, text);
}

/** Validates a parsed scenario against the registered plugins' schema and fills in every default. */
export function resolveScenario(source: ScenarioSource, registry: PluginRegistry): ResolvedScenario {
  const schema = buildScenarioSchema(registry);
  const raw = source.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw source.errorAt([], 'expected a mapping of scenario keys (seed, architecture, population, experiment, …)');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw toScenarioError(source, parsed.error, schema, raw);
  const scenario = parsed.data as ResolvedScenario;
  return scenario;
}

/** The first problem, located; the others (up to a few) follow on their own lines. */
export function toScenarioError(source: ScenarioSource, error: z.ZodError, schema: z.ZodType, raw?: unknown): ScenarioError {
  const [first, ...others] = error.issues.slice(0, 5).map((issue) => locateIssue(source, issue, schema, raw));
  if (others.length === 0) return first;
  return new ScenarioError(first.file, first.line, first.column, [first.detail, ...others.map((e) => e.message)].join('\n'));
}

/** A zod issue of `raw` (the scenario's text as parsed) as a ScenarioError located where it is written. */
export function locateIssue(source: ScenarioSource, issue: z.core.$ZodIssue, schema: z.ZodType, raw?: unknown): ScenarioError {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'scenario';
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const allowed = allowedKeys(schema, raw, issue.path);
    const expected = allowed ? `; expected one of: ${allowed.join(', ')}` : '';
    const at = issue.path.length > 0 ? ` in ${where}` : '';
    return source.errorAtKey(issue.path, key, `unknown key ${quotedKey(key)}${at}${expected}`);
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    // zod reports the path of the discriminator key itself; the union sits one level up.
    const key = issue.discriminator as string;
    const unionPath = issue.path[issue.path.length - 1] === key ? issue.path.slice(0, -1) : issue.path;
    const path = [...unionPath, key];
    const options = discriminatorValues(schema, raw, unionPath);
    return source.errorAt(path, `${path.join('.')}: unknown type${options ? `; expected one of: ${options.join(', ')}` : ''}`);
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    const key = String(issue.path[issue.path.length - 1]);
    return source.errorAt(issue.path, `missing key "${key}"${issue.path.length > 1 ? ` in ${issue.path.slice(0, -1).join('.')}` : ''} (expected ${issue.expected})`);
  }
  return source.errorAt(issue.path, `${where}: ${issue.message}`);
}

/** Looks like a key somebody typed; anything else (e.g. a line of a file that is no scenario) is not echoed. */
const KEY_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function quotedKey(key: string): string {
  return KEY_NAME.test(key) ? `"${key}"` : `(${key.length} characters, not shown: not a key name)`;
}

/** Walks the schema along `path` to the object schema there (choosing union members by `type`). */
function objectSchemaAt(schema: z.ZodType, raw: unknown, path: readonly PropertyKey[]): z.ZodObject | undefined {
  const node = unionMember(schemaAt(schema, raw, path), valueAt(raw, path));
  return (node as { def?: { type?: string } } | undefined)?.def?.type === 'object' ? (node as z.ZodObject) : undefined;
}

/** Walks the schema along `path` through objects, arrays and transforms (choosing union members by `type`). */
function schemaAt(schema: z.ZodType, raw: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = schema;
  let value = raw as Record<PropertyKey, unknown> | undefined;
  for (const key of path) {
    node = unionMember(unwrap(node), value);
    const def = (node as { def?: { type?: string; element?: unknown } } | undefined)?.def;
    if (def?.type === 'object') node = (node as z.ZodObject).shape[key as string];
    else if (def?.type === 'array') node = def.element;
    else return undefined;
    value = value?.[key] as Record<PropertyKey, unknown> | undefined;
  }
  return unwrap(node);
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): Record<PropertyKey, unknown> | undefined {
  let value = raw as Record<PropertyKey, unknown> | undefined;
  for (const key of path) value = value?.[key] as Record<PropertyKey, unknown> | undefined;
  return value;
}

/** For a union on `type`, the member the value names (else the first); other schemas as they are. */
function unionMember(node: unknown, value: Record<PropertyKey, unknown> | undefined): unknown {
  const def = (node as { def?: { type?: string; options?: unknown[] } }).def;
  if (def?.type !== 'union' || !def.options) return node;
  return def.options.find((o) => literalType(o) === value?.type) ?? def.options[0];
}

function unwrap(node: unknown): unknown {
  let current = node as { def?: { type?: string; innerType?: unknown; in?: unknown } };
  while (current?.def && ['default', 'prefault', 'optional', 'nullable', 'pipe'].includes(current.def.type ?? '')) {
    current = (current.def.type === 'pipe' ? current.def.in : current.def.innerType) as typeof current;
  }
  return current;
}

function literalType(option: unknown): string | undefined {
  const type = (option as z.ZodObject).shape?.type as { def?: { values?: unknown[] } } | undefined;
  return type?.def?.values?.[0] as string | undefined;
}

function allowedKeys(schema: z.ZodType, raw: unknown, path: readonly PropertyKey[]): string[] | undefined {
  const object = objectSchemaAt(schema, raw, path);
  return object ? Object.keys(object.shape) : undefined;
}

function discriminatorValues(schema: z.ZodType, raw: unknown, path: readonly PropertyKey[]): string[] | undefined {
  const def = (schemaAt(schema, raw, path) as { def?: { options?: unknown[] } } | undefined)?.def;
  return def?.options?.map(literalType).filter((t): t is string => t !== undefined);
}
