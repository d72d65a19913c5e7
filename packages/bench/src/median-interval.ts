/** P(X ≤ k) for X ~ Binomial(n, ½). */
function binomialHalfAtMost(n: number, k: number): number {
  let term = 0.5 ** n;
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= (n - i + 1) / i;
    sum += term;
  }
  return sum;
}

/** A confidence interval of a median from order statistics, and the coverage it has. */
export interface MedianInterval {
  readonly low: number;
  readonly high: number;
  /** The interval's exact coverage (≥ the confidence asked for). */
  readonly coverage: number;
}

/**
 * The distribution-free confidence interval of the median of `values` (the sign test's: the k-th
 * smallest and k-th largest value, k the largest with coverage ≥ `confidence`), which assumes
 * nothing about the noise but that the values are independent; undefined when there are too few
 * values for that coverage (6 for 95 %).
 */
export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval | undefined {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  let k = 0;
  // the interval [x(k+1), x(n−k)] (1-based) misses the median with probability 2 · P(X ≤ k)
  while (k + 1 <= n - k && 1 - 2 * binomialHalfAtMost(n, k) >= confidence) k++;
  if (k === 0) return undefined;
  return { low: sorted[k - 1], high: sorted[n - k], coverage: 1 - 2 * binomialHalfAtMost(n, k - 1) };
}
