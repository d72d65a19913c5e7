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
