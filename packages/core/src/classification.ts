import type { NetworkKernels, WeightBatch } from './network';

/** The five classes of PAPER.md §2, in the order they are tested; a class code is its index. */
export const PARTICLE_CLASSES = ['divergent', 'zero', 'fixpoint', 'second-order', 'other'] as const;
export type ParticleClass = (typeof PARTICLE_CLASSES)[number];
export const ParticleClassCode = {
  divergent: 0,
  zero: 1,
  fixpoint: 2,
  'second-order': 3,
  other: 4,
} as const satisfies Record<ParticleClass, number>;

export type Census = Record<ParticleClass, number>;

export interface ClassifyOptions {
  /** Tolerance ε. */
  readonly epsilon: number;
  /** 2019 semantics: |d| < ε instead of |d| ≤ ε. */
  readonly strict: boolean;
}

/**
 * Classifies the networks of a batch: divergent → zero → fixpoint → second-order → other.
 * Scratch buffers are reused across calls of the same batch size.
 */
export class Classifier {
  private once = new Float32Array(0);
  private twice = new Float32Array(0);
  private scratchIndex = new Int32Array(0);

  constructor(
    private readonly kernels: NetworkKernels,
    private readonly weightCount: number,
    private readonly options: ClassifyOptions,
  ) {}

  classify(batch: WeightBatch, out: Uint8Array = new Uint8Array(batch.index.length)): Uint8Array {
    const n = batch.index.length;
    const W = this.weightCount;
    this.ensureScratch(n);
    const scratch: WeightBatch = { data: this.once, index: this.scratchIndex.subarray(0, n) };
    const scratch2: WeightBatch = { data: this.twice, index: scratch.index };
    this.kernels.apply(batch, batch, scratch);
    this.kernels.apply(batch, scratch, scratch2);
    const { epsilon, strict } = this.options;
    for (let k = 0; k < n; k++) {
      out[k] = classifyOne(batch.data, batch.index[k] * W, this.once, this.twice, k * W, W, epsilon, strict);
    }
    return out;
  }

  private ensureScratch(n: number): void {
    if (this.scratchIndex.length >= n) return;
    this.once = new Float32Array(n * this.weightCount);
    this.twice = new Float32Array(n * this.weightCount);
    this.scratchIndex = new Int32Array(n);
    for (let k = 0; k < n; k++) this.scratchIndex[k] = k;
  }
}

/**
 * Plain indexed loops: this runs for every particle at every census. Once no class but divergent and
 * other is left, the rest of the row is only checked for finiteness (v · 0 is NaN for ±∞ and NaN).
 */
function classifyOne(w: Float32Array, base: number, once: Float32Array, twice: Float32Array, scratch: number, W: number, epsilon: number, strict: boolean): number {
  let nonFinite = 0;
  let zero = true;
  let fixpoint = true;
  let secondOrder = true;
  let i = 0;
  for (; i < W; i++) {
    const v = w[base + i];
    nonFinite += v * 0;
    const a = Math.abs(v);
    const d1 = Math.abs(once[scratch + i] - v);
    const d2 = Math.abs(twice[scratch + i] - v);
    if (strict ? !(a < epsilon) : !(a <= epsilon)) zero = false;
    if (strict ? !(d1 < epsilon) : !(d1 <= epsilon)) fixpoint = false;
    if (strict ? !(d2 < epsilon) : !(d2 <= epsilon)) secondOrder = false;
    if (!zero && !fixpoint && !secondOrder) break;
  }
  for (i++; i < W; i++) nonFinite += w[base + i] * 0;
  if (nonFinite !== 0) return ParticleClassCode.divergent;
  if (zero) return ParticleClassCode.zero;
  if (fixpoint) return ParticleClassCode.fixpoint;
  if (secondOrder) return ParticleClassCode['second-order'];
  return ParticleClassCode.other;
}

export function emptyCensus(): Census {
  return { divergent: 0, zero: 0, fixpoint: 0, 'second-order': 0, other: 0 };
}

export function countClasses(classes: Uint8Array): Census {
  const census = emptyCensus();
  for (const code of classes) census[PARTICLE_CLASSES[code]]++;
  return census;
}
