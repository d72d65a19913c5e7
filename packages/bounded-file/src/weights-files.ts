import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** JSON has no NaN or Infinity: a divergent weight is written as one of these strings. */
const NON_FINITE = new Map<unknown, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

/**
 * A weight vector as weights.json (or an init file) writes it — `W` numbers, each a JSON number or
 * "NaN", "Infinity", "-Infinity" — as numbers; undefined when `value` is no such vector.
 */
export function weightVector(value: unknown, W: number): number[] | undefined {
  if (!Array.isArray(value) || value.length !== W) return undefined;
  const out = new Array<number>(W);
  for (let i = 0; i < W; i++) {
    const v: unknown = value[i];
    const n = typeof v === 'number' ? v : NON_FINITE.get(v);
    if (n === undefined) return undefined;
    out[i] = n;
  }
  return out;
}

/** weights.json of a large population: the index of a raw little-endian float32 file beside it (srnn ≤ 0.1.0's, still read). */
export const BINARY_WEIGHTS_FORMAT = 'srnn-weights/1';

/**
 * weights.json of a large population: the index of two raw little-endian files beside it, the
 * weights (P × W float32) and the particles (P × [uid, parent uid, birth step, class code] int32;
 * `classes` names the codes) — a table of 16 bytes a particle instead of a JSON record of ≈ 70.
 */
export const BINARY_PARTICLES_FORMAT = 'srnn-weights/2';

interface WeightsIndex {
  format?: unknown;
  weights?: unknown;
  size?: unknown;
  weightCount?: unknown;
  particles?: unknown;
  classes?: unknown;
}

/** A plain file name (no path): the files an index names lie beside it. */
const isFileName = (name: unknown): name is string => typeof name === 'string' && name !== '' && name === basename(name) && name !== '..';

/**
 * A weights.json as read from `file`; when it is the index of binary files (`format`
 * srnn-weights/1 or /2), its particles (from the table of /2) get their weights from the float32
 * file (P × W), each file checked for its exact size before it is read.
 */
export function withBinaryWeights(json: unknown, file: string): unknown {
  const index = json as WeightsIndex | null;
  if (index?.format !== BINARY_WEIGHTS_FORMAT && index?.format !== BINARY_PARTICLES_FORMAT) return json;
  const { weights, size, weightCount } = index;
  const particles = index.format === BINARY_PARTICLES_FORMAT ? particleTable(index, file) : index.particles;
  if (!isFileName(weights) || !Number.isInteger(size) || !Number.isInteger(weightCount) || !Array.isArray(particles) || particles.length !== size) {
    throw new Error(`${file}: expected a weights index { format, weights: a file name beside it, size, weightCount, particles: [size] }`);
  }
  const view = exactFile(join(dirname(file), weights), (size as number) * (weightCount as number) * 4, `${String(size)} × ${String(weightCount)} float32`);
  const W = weightCount as number;
  return {
    particles: particles.map((p: unknown, i) => ({ ...(p as object), weights: Array.from({ length: W }, (_, k) => view.getFloat32((i * W + k) * 4, true)) })),
  };
}

/** The particles of a srnn-weights/2 index, from its table. */
function particleTable({ particles, size, classes }: WeightsIndex, file: string): object[] {
  if (!isFileName(particles) || !Number.isInteger(size) || !Array.isArray(classes)) {
    throw new Error(`${file}: expected a weights index { format, weights, particles: a file name beside it, size, weightCount, classes }`);
  }
  const view = exactFile(join(dirname(file), particles), (size as number) * 16, `${String(size)} × 4 int32`);
  return Array.from({ length: size as number }, (_, i) => ({
    uid: view.getInt32(16 * i, true),
    parent: view.getInt32(16 * i + 4, true),
    birth: view.getInt32(16 * i + 8, true),
    class: classes[view.getInt32(16 * i + 12, true)] as unknown,
  }));
}

/** A regular file of exactly `bytes` bytes, read. */
function exactFile(path: string, bytes: number, what: string): DataView {
  const stats = statSync(path);
  if (!stats.isFile() || stats.size !== bytes) throw new Error(`${path}: expected ${bytes} bytes (${what})`);
  const buffer = readFileSync(path);
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
