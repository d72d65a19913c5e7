import type { Rng } from '@srnn/core';

/**
 * Noise of PAPER.md §3: every weight independently moves by ± U(0,1)·level, the sign 50/50. Per
 * weight the sign is drawn first, then the magnitude (the order of the authors' `vary`). Writes
 * `out` (default: in place); the result is rounded to float32 like every stored weight.
 */
export function perturb(weights: Float32Array, level: number, rng: Rng, out: Float32Array = weights): Float32Array {
  for (let i = 0; i < weights.length; i++) {
    const sign = rng.next() < 0.5 ? 1 : -1;
    out[i] = weights[i] + sign * rng.next() * level;
  }
  return out;
}

/**
 * Every weight moves by exactly ± level, the sign 50/50 per weight: a variant (an early version of
 * the authors' basin script did so, only the level being random, see `cloneLevel`; their final
 * code draws ± U(0,1)·level per weight, as `perturb`).
 */
export function perturbFixed(weights: Float32Array, level: number, rng: Rng, out: Float32Array = weights): Float32Array {
  for (let i = 0; i < weights.length; i++) out[i] = weights[i] + (rng.next() < 0.5 ? level : -level);
  return out;
}

/** The level of one clone's noise: U(0,1)·noise (PAPER.md §3, clone spawning). */
export function cloneLevel(noise: number, rng: Rng): number {
  return rng.next() * noise;
}

/** Noise levels 10^from, 10^(from−1), …, 10^to as exact decimal literals (1e-5, not 10 ** -5). */
export function decades(from: number, to: number): number[] {
  const out: number[] = [];
  for (let e = from; e >= to; e--) out.push(Number(`1e${e}`));
  return out;
}
