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

/** weights.json of a large population: the index of a raw little-endian float32 file beside it. */
export const BINARY_WEIGHTS_FORMAT = 'srnn-weights/1';

/**
 * A weights.json as read from `file`; when it is the index of a binary weights file (`format`
 * srnn-weights/1), its particles get their weights from that file (beside it, P × W float32).
 */
export function withBinaryWeights(json: unknown, file: string): unknown {
  const index = json as { format?: unknown; weights?: unknown; size?: unknown; weightCount?: unknown; particles?: unknown } | null;
  if (index?.format !== BINARY_WEIGHTS_FORMAT) return json;
  const { weights, size, weightCount, particles } = index;
  if (typeof weights !== 'string' || weights !== basename(weights) || !Number.isInteger(size) || !Number.isInteger(weightCount) || !Array.isArray(particles) || particles.length !== size) {
    throw new Error(`${file}: expected a weights index { format, weights: a file name beside it, size, weightCount, particles: [size] }`);
  }
  const binary = join(dirname(file), weights);
  const bytes = (size as number) * (weightCount as number) * 4;
  if (statSync(binary).size !== bytes) throw new Error(`${binary}: expected ${bytes} bytes (${String(size)} × ${String(weightCount)} float32)`);
  const buffer = readFileSync(binary);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const W = weightCount as number;
  return {
    particles: particles.map((p: unknown, i) => ({ ...(p as object), weights: Array.from({ length: W }, (_, k) => view.getFloat32((i * W + k) * 4, true)) })),
  };
}
