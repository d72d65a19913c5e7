import type { z } from 'zod';
import { locateIssue, type KeyPath, type ScenarioError, type ScenarioSource } from '@srnn/core';

/**
 * A scenario's `quick:` map — key path → value — sets keys of the scenario for a small, seeded
 * version of it (`srnn paper --quick`, `srnn run --quick`). A key path names nested mappings with
 * dots (`experiment.steps`); `sweep.<key>` sets (or replaces) one list of the sweep, whose own key
 * contains dots (`sweep.experiment.trainsPerApplication: [0, 500]`).
 */
export type QuickOverrides = Readonly<Record<string, unknown>>;

/** Keys a quick entry may not set. */
const UNQUICKABLE = new Set(['quick', 'srnn', 'plugins']);

/**
 * Segments no key path (of `quick:` or `sweep:`) may have: setting them would reach into
 * JavaScript's object prototypes (`__proto__.x` would set Object.prototype.x), and no scenario
 * has keys of these names.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The segments a quick key path sets: `sweep.a.b` → ['sweep', 'a.b'], `a.b` → ['a', 'b']. */
export function quickKeyPath(key: string): string[] {
  if (key.startsWith('sweep.')) return ['sweep', key.slice('sweep.'.length)];
  return key.split('.');
}

/**
 * A copy of the raw scenario with every quick entry set (the `quick` map itself stays, so that
 * applying it again changes nothing). As in `sweep`, a segment may index an existing list entry
 * (experiment.interactions.2.steps) and missing mappings are created. Throws the error `fail`
 * makes for the first key that cannot be set.
 */
export function applyQuick(raw: Readonly<Record<string, unknown>>, quick: QuickOverrides, fail: (key: string, detail: string) => Error): Record<string, unknown> {
  const out = structuredClone(raw) as Record<string, unknown>;
  for (const [key, value] of Object.entries(quick)) {
    const segments = quickKeyPath(key);
    if (segments.some((s) => s.length === 0)) throw fail(key, `quick key "${key}": expected a key path such as experiment.steps`);
    const forbidden = quickSegments(segments).find((s) => FORBIDDEN_KEYS.has(s));
    if (forbidden) throw fail(key, `quick key "${key}": "${forbidden}" is not a scenario key`);
    if (UNQUICKABLE.has(segments[0])) throw fail(key, `quick key "${key}": ${segments[0]} cannot be set by quick`);
    let node: Record<string | number, unknown> = out;
    for (let i = 0; i < segments.length; i++) {
      let slot: string | number = segments[i];
      if (Array.isArray(node)) {
        const index = Number(slot);
        if (!Number.isInteger(index) || index < 0 || index >= node.length) {
          throw fail(key, `quick key "${key}": ${segments.slice(0, i).join('.')} is a list of ${node.length}: expected an index 0 … ${node.length - 1}`);
        }
        slot = index;
      }
      if (i === segments.length - 1) {
        node[slot] = structuredClone(value);
        break;
      }
      const next = node[slot];
      if (next === undefined) node[slot] = {};
      else if (next === null || typeof next !== 'object') throw fail(key, `quick key "${key}": ${segments.slice(0, i + 1).join('.')} is not a mapping or list in the scenario`);
      node = node[slot] as Record<string | number, unknown>;
    }
  }
  return out;
}

/** Every segment of a quick key path, those of a swept key (`sweep.a.b`) included. */
function quickSegments(segments: readonly string[]): string[] {
  return segments[0] === 'sweep' ? ['sweep', ...segments.slice(1).flatMap((s) => s.split('.'))] : [...segments];
}

/**
 * The quick key a schema problem at `path` is most likely due to: the one sharing the longest
 * prefix with it (undefined when none shares any).
 */
export function quickKeyFor(quick: QuickOverrides, path: KeyPath): string | undefined {
  const problem = path.map(String);
  let best: string | undefined;
  let bestLength = 0;
  for (const key of Object.keys(quick)) {
    const segments = quickKeyPath(key);
    let n = 0;
    while (n < segments.length && n < problem.length && segments[n] === problem[n]) n++;
    // a problem inside the value a key sets is that key's; a longer key path that only shares a prefix is less likely
    const length = n === segments.length ? n + 0.5 : n;
    if (n > 0 && length > bestLength) {
      best = key;
      bestLength = length;
    }
  }
  return best;
}

/** The path of a zod issue, extended by the first unknown key when that is the problem. */
export function issuePath(issue: z.core.$ZodIssue): KeyPath {
  return issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
}

/** An error located at the quick entry `key` (or at `quick:` itself without one). */
export function quickError(source: ScenarioSource, key: string | undefined, detail: string): ScenarioError {
  if (key === undefined) return source.errorAt(['quick'], `quick: ${detail}`);
  return source.errorAt(['quick', key], `quick "${key}": ${detail}`);
}

/** Wrong-key errors of applyQuick are located at the key itself. */
export function quickKeyError(source: ScenarioSource): (key: string, detail: string) => ScenarioError {
  return (key, detail) => source.errorAtKey(['quick'], key, detail);
}

/**
 * The scenario with its `quick:` overrides applied, validated against the full schema; a problem
 * is located at the quick entry that causes it (the values are checked, not only the key paths).
 */
export function quickScenarioRaw(source: ScenarioSource, raw: Record<string, unknown>, quick: QuickOverrides, schema: z.ZodType): Record<string, unknown> {
  const applied = applyQuick(raw, quick, quickKeyError(source));
  const parsed = schema.safeParse(applied);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const { detail } = locateIssue(source, issue, schema, applied);
    throw quickError(source, quickKeyFor(quick, issuePath(issue)), detail);
  }
  return applied;
}
