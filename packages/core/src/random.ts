import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** A seeded stream of random numbers; every random choice srnn makes comes from one. */
export class Rng {
  constructor(private generator: Generator) {}

  /** The stream's exact position (checkpoints). */
  state(): number[] {
    return [...this.generator.getState()];
  }

  /** Continues from a position `state()` gave. */
  restore(state: readonly number[]): void {
    this.generator = xoroshiro128plusFromState(state);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return uniformInt(this.generator, 0, n - 1);
  }

  /** In-place Fisher–Yates shuffle of `values[from, from + length)`. */
  shuffle<T extends { [i: number]: number; readonly length: number }>(values: T, from = 0, length = values.length - from): T {
    for (let i = length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = values[from + i];
      values[from + i] = values[from + j];
      values[from + j] = t;
    }
    return values;
  }
}

/**
 * Independent random streams derived from one seed, one per purpose ("init", "noise", "partners", …).
 * A stream depends only on (seed, purpose), so adding a new purpose never shifts existing streams.
 */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number) {}

  stream(purpose: string): Rng {
    let rng = this.streams.get(purpose);
    if (!rng) {
      rng = new Rng(xoroshiro128plus(deriveSeed(this.seed, purpose)));
      this.streams.set(purpose, rng);
    }
    return rng;
  }

  /** Every stream's position, by purpose (streams not yet used are at their start). */
  state(): Record<string, number[]> {
    return Object.fromEntries([...this.streams].map(([purpose, rng]) => [purpose, rng.state()]));
  }

  restore(states: { readonly [purpose: string]: readonly number[] }): void {
    for (const [purpose, state] of Object.entries(states)) this.stream(purpose).restore(state);
  }
}

/** 32-bit seed derived from a base seed and a name (FNV-1a over both, then a murmur3 finaliser). */
export function deriveSeed(seed: number, purpose: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}\u0000${purpose}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
