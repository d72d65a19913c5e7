/**
 * Sizes srnn accepts, checked when a scenario is loaded (`srnn validate` and before any run
 * starts), so that a scenario that cannot fit is bad input — located, exit 2 — instead of a crash.
 */

/** Weights of one network (every architecture's weight vector). */
export const MAX_WEIGHT_COUNT = 2 ** 24;

/**
 * Floats of one weight matrix [rows × W]: population.size × weights, or the copies an experiment
 * makes (trials, clones, interpolation points). A run keeps a few such arrays (population,
 * snapshots, kernel scratch), so this stays well below what a Float32Array could hold (2^32).
 */
export const MAX_FLOATS = 2 ** 28;

/** Characters of a scenario file. */
export const MAX_SCENARIO_CHARS = 4 * 2 ** 20;

/** Mapping keys of a scenario file (all mappings together). */
export const MAX_SCENARIO_KEYS = 100_000;

/** Alias expansions yaml allows in one document (its `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 100;

/** `n` with spaces between thousands, as limits are stated in messages: 16 777 216. */
export function formatCount(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ') : String(n);
}

/**
 * The problem when `rows` weight vectors of `width` weights (e.g. particles, trials) are more than
 * MAX_FLOATS floats, else undefined: `2 147 483 648 particles × 14 weights = … floats, more than …`.
 */
export function floatsProblem(rows: number, width: number, what: string): string | undefined {
  const total = rows * width;
  if (total <= MAX_FLOATS) return undefined;
  return `${formatCount(rows)} ${what} × ${formatCount(width)} weights = ${formatCount(total)} floats, more than srnn's limit of ${formatCount(MAX_FLOATS)} (2^28)`;
}
