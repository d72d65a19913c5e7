/**
 * Mutated scenario files for the fuzz test: a seeded PRNG picks a scenario of the repository and
 * applies one to three mutations of the kinds a hurried user (or a broken download) makes —
 * lines deleted, duplicated, swapped or cut; numbers made huge, negative, fractional, NaN or
 * strings; values of another type; unknown keys; anchors and aliases (too many, undefined);
 * stray YAML syntax; key paths that reach for JavaScript prototypes.
 */

/** mulberry32: a small seeded PRNG, enough to make the mutations reproducible. */
export class FuzzRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

const NUMBERS = [
  '0',
  '-1',
  '-0.5',
  '1.5',
  '2147483648',
  '4294967296',
  '9007199254740991',
  '1e308',
  '-1e308',
  '1e-320',
  '.nan',
  '.inf',
  '-.inf',
  'NaN',
  '"12"',
  'twelve',
  '~',
  '[]',
  '{}',
  '[1, 2]',
  '{ a: 1 }',
  '0x10',
  '1_000',
  '3.',
  '2147483648000',
];
const VALUES = ['', '~', 'null', 'true', '[]', '{}', '[[1, 2], [3]]', '{ file: missing.json }', '{ weights: [[1]] }', '"x"', '*nowhere', '!!binary aGk=', '2001-12-14', '|\n  text'];
const KEYS = [
  'colour',
  'steps',
  'type',
  'size',
  'seed',
  'init',
  '__proto__',
  'constructor',
  'prototype',
  'sweep',
  'quick',
  'replicates',
  '__proto__.polluted',
  'constructor.prototype.polluted',
  'experiment.__proto__.polluted',
  'population.size',
  'architecture.depth',
];
const SYNTAX = ['{', '}', '[', ']', ':', ': :', '- ', '\t', '"', "'", '&', '*', '!', '%YAML 1.2', '---', '...', '#', '? ', '<<: *a', '|', '>'];

type Mutation = (lines: string[], random: FuzzRandom) => string[];

const replaceNumber: Mutation = (lines, random) => {
  const candidates = lines.map((line, i) => (/-?\d+(\.\d+)?(e-?\d+)?/.test(line) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return lines;
  const i = random.pick(candidates);
  const matches = [...lines[i].matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)];
  const match = random.pick(matches);
  const at = match.index ?? 0;
  const line = lines[i].slice(0, at) + random.pick(NUMBERS) + lines[i].slice(at + match[0].length);
  return [...lines.slice(0, i), line, ...lines.slice(i + 1)];
};

/** The value after the first `key:` of a line replaced by another kind of value. */
const replaceValue: Mutation = (lines, random) => {
  const candidates = lines.map((line, i) => (/\w+:\s*\S/.test(line) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return lines;
  const i = random.pick(candidates);
  const matches = [...lines[i].matchAll(/(\w+:\s*)([^,{}[\]\n]+)/g)];
  const match = random.pick(matches);
  const at = (match.index ?? 0) + match[1].length;
  const line = lines[i].slice(0, at) + random.pick(VALUES) + lines[i].slice(at + match[2].length);
  return [...lines.slice(0, i), ...line.split('\n'), ...lines.slice(i + 1)];
};

const deleteLine: Mutation = (lines, random) => {
  const i = random.int(lines.length);
  return [...lines.slice(0, i), ...lines.slice(i + 1)];
};

const duplicateLine: Mutation = (lines, random) => {
  const i = random.int(lines.length);
  return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)];
};

const swapLines: Mutation = (lines, random) => {
  const out = [...lines];
  const i = random.int(out.length);
  const j = random.int(out.length);
  [out[i], out[j]] = [out[j], out[i]];
  return out;
};

const truncate: Mutation = (lines, random) => {
  const text = lines.join('\n');
  return text.slice(0, random.int(text.length + 1)).split('\n');
};

/** An unknown or dangerous key, at the top level or indented into a block mapping. */
const insertKey: Mutation = (lines, random) => {
  const i = random.int(lines.length + 1);
  const indent = random.next() < 0.5 ? '' : (/^(\s*)/.exec(lines[Math.max(0, i - 1)] ?? '')?.[1] ?? '');
  const key = random.pick(KEYS);
  const value = random.next() < 0.5 ? random.pick(NUMBERS) : random.pick(VALUES);
  return [...lines.slice(0, i), `${indent}${key}: ${value}`, ...lines.slice(i)];
};

/** A sweep or quick entry whose key path is a random (possibly prototype-reaching) path. */
const insertKeyPath: Mutation = (lines, random) => {
  const where = random.pick(['sweep', 'quick']);
  const key = random.pick(KEYS.filter((k) => k.includes('.') || k.startsWith('__') || k === 'constructor' || k === 'prototype'));
  const value = where === 'sweep' ? `[${random.pick(NUMBERS)}]` : random.pick(NUMBERS);
  const kept = lines.filter((line) => !line.startsWith(`${where}:`));
  return [...kept, `${where}: { ${key}: ${value} }`];
};

/** Anchors and aliases: an anchor with many alias references, an alias to nothing, a self reference. */
const aliases: Mutation = (lines, random) => {
  const kind = random.int(3);
  if (kind === 0) {
    const refs = Array.from({ length: 50 + random.int(200) }, (_, k) => `x${k}: *a`).join(', ');
    return [...lines.map((line, i) => (i === 0 ? line : line)), `anchors: &a { k: [1, 2, 3] }`, `many: { ${refs} }`];
  }
  if (kind === 1) return [...lines, `alias: *${random.pick(['b', 'nowhere', 'a'])}`];
  const i = random.int(lines.length);
  return [...lines.slice(0, i), 'loop: &c [*c]', ...lines.slice(i)];
};

const insertSyntax: Mutation = (lines, random) => {
  const i = random.int(lines.length);
  const line = lines[i] ?? '';
  const at = random.int(line.length + 1);
  const changed = line.slice(0, at) + random.pick(SYNTAX) + line.slice(at);
  return [...lines.slice(0, i), changed, ...lines.slice(i + 1)];
};

const reindent: Mutation = (lines, random) => {
  const i = random.int(lines.length);
  const changed = random.next() < 0.5 ? `  ${lines[i]}` : lines[i].replace(/^\s+/, '');
  return [...lines.slice(0, i), changed, ...lines.slice(i + 1)];
};

const MUTATIONS: readonly Mutation[] = [
  replaceNumber,
  replaceNumber,
  replaceNumber,
  replaceValue,
  replaceValue,
  deleteLine,
  duplicateLine,
  swapLines,
  truncate,
  insertKey,
  insertKey,
  insertKeyPath,
  aliases,
  insertSyntax,
  reindent,
];

/** One to three mutations of `text`; a `plugins:` entry is dropped (loading one needs the user's consent). */
export function mutateScenario(text: string, random: FuzzRandom): string {
  let lines = text.split('\n').filter((line) => !/^plugins:/.test(line));
  const count = 1 + random.int(3);
  for (let k = 0; k < count; k++) lines = random.pick(MUTATIONS)(lines, random);
  return lines.join('\n');
}
