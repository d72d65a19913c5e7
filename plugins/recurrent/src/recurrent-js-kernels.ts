import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';
import { compileWith, range, type Activation } from '@srnn/mlp';
import type { RecurrentLayout } from './recurrent-layout';
import { RecurrentSource, storeLoss } from './recurrent-js-source';
import { RecurrentLoopSource } from './recurrent-loop-source';

/**
 * How a kernel runs: time unrolled too (every activation a local, read directly by the backward
 * pass), time looped with the weights in locals (the activations of every step in a scratch
 * array), or time looped with the weights and units in Float64Arrays too (RecurrentLoopSource). All
 * three compute the same numbers.
 */
export type RecurrentCode = 'unrolled' | 'looped' | 'arrays';

/**
 * The code each kernel uses. The generated code grows with T · W = W² terms unrolled, with W
 * looped; beyond these sizes V8 stops optimising the function and it becomes many times slower
 * than the next code (and one local per weight overflows the stack of large networks). Measured
 * (linear, P = 1000, best of 12 interleaved runs on a busy 2-core machine, net-steps/s, unrolled
 * vs looped): W 17: apply 7.5M vs 6.0M, train 3.2M vs 1.8M; W 22: train 1.3M vs 0.9M; W 25 (depth
 * 3): apply 3.7M vs 4.3M, train 0.7M vs 1.1M; W 33 (width 1, depth 10, bias): apply 1.9M vs 1.2M;
 * W 34: train 0.02M vs 0.36M; W 57: apply 0.03M vs 0.6M. Looped vs arrays (tanh, µs per network):
 * W 209: apply 58 vs 116, train 134 vs 242; W 321: train 3255 vs 537; W 801: apply 830 vs 1338;
 * W 1777: apply 29938 vs 5612.
 */
export function recurrentCode(weightCount: number): { readonly apply: RecurrentCode; readonly train: RecurrentCode } {
  const terms = weightCount * weightCount;
  return {
    apply: terms <= 1000 ? 'unrolled' : weightCount <= 1024 ? 'looped' : 'arrays',
    train: terms <= 500 ? 'unrolled' : weightCount <= 256 ? 'looped' : 'arrays',
  };
}

/** Applies each network of a batch (fn FI[b] to input II[b] into OI[b]); the batch loop is in the generated code. */
type ApplyBatch = (F: Float32Array, FI: Int32Array, I: Float32Array, II: Int32Array, O: Float32Array, OI: Int32Array) => void;
/** Trains each network of a batch; its loss goes to L[b] (L may be null): no number is returned boxed. */
type TrainBatch = (P: Float32Array, PI: Int32Array, D: Float32Array, DI: Int32Array, lr: number, momentum: number, M: Float32Array | null, MI: Int32Array | null, L: Float32Array | null) => void;

/**
 * Recurrent kernels for the js backend: JavaScript generated for this exact shape (units,
 * activation, bias, layout, sequence length), one function per kernel that loops over the batch
 * itself, arithmetic in locals (plus a Float64Array of activations when time is not unrolled; in
 * Float64Arrays for large networks, see `recurrentCode`), no allocation per call. Self-training
 * (data = params) and self-application (input = fn) with time unrolled take the sequence from the
 * weights already loaded.
 *
 * A network reads the weights of M as one sequence (one scalar per step), so a network yields one
 * training sample: `batch: 1` (one step per sample) is the same step as `batch: 'full'`.
 */
export class RecurrentJsKernels implements NetworkKernels {
  readonly samplesPerNetwork = 1;
  /** [other input, self-application] */
  private readonly applyBatch: readonly ApplyBatch[];
  /** [plain, momentum] × [other data, self-training] */
  private readonly trainBatch: readonly (readonly TrainBatch[])[];

  constructor(
    readonly layout: RecurrentLayout,
    activation: Activation,
    code = recurrentCode(layout.weightCount),
  ) {
    const source = new RecurrentSource(layout, activation);
    const loops = new RecurrentLoopSource(source);
    const T = layout.weightCount;
    // Activations of every step, row t + 1 for step t; row 0 stays zero: h_{-1}.
    const scratch = new Float64Array((T + 1) * layout.unitCount);
    let arrays: Record<string, Float64Array> | undefined;
    // One set of arrays for every kernel that uses them (they hold nothing between calls).
    const bound = (kind: RecurrentCode): Record<string, unknown> => (kind === 'arrays' ? (arrays ??= loops.scratch(scratch)) : { A: scratch });
    const bodies = (kind: RecurrentCode, self: boolean): Bodies => {
      if (kind === 'arrays') return { apply: loops.apply(), train: (withMomentum) => loops.train(withMomentum) };
      return kind === 'unrolled' ? unrolledBodies(source, self) : loopedBodies(source);
    };
    const batch = (index: string, offsets: string, body: string) => `for (let b = 0; b < ${index}.length; b++) {\n${offsets}\n${body}\n}`;
    const applyOffsets = `const fo = FI[b] * ${T}; const io = II[b] * ${T}; const oo = OI[b] * ${T};`;
    const trainOffsets = `const po = PI[b] * ${T}; const d0 = DI[b] * ${T}; const mo = MI === null ? 0 : MI[b] * ${T};`;
    const apply = (self: boolean): ApplyBatch => compileWith(bound(code.apply), 'F, FI, I, II, O, OI', batch('FI', applyOffsets, bodies(code.apply, self).apply));
    const train = (withMomentum: boolean, self: boolean): TrainBatch =>
      compileWith(bound(code.train), 'P, PI, D, DI, lr, momentum, M, MI, L', batch('PI', trainOffsets, bodies(code.train, self).train(withMomentum)));
    // Only unrolled code reads the sequence from the loaded weights; the others serve both cases.
    const pair = <K>(kind: RecurrentCode, of: (self: boolean) => K): K[] => {
      const general = of(false);
      return [general, kind === 'unrolled' ? of(true) : general];
    };
    this.applyBatch = pair(code.apply, apply);
    this.trainBatch = [false, true].map((withMomentum) => pair(code.train, (self) => train(withMomentum, self)));
  }

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const self = fn.data === input.data && fn.index === input.index;
    this.applyBatch[self ? 1 : 0](fn.data, fn.index, input.data, input.index, out.data, out.index);
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const withMomentum = options.momentum !== 0;
    const buffer = options.momentumBuffer;
    if (withMomentum && !buffer) throw new Error('training with momentum needs a momentum buffer');
    const self = params.data === data.data && params.index === data.index;
    const kernel = this.trainBatch[withMomentum ? 1 : 0][self ? 1 : 0];
    kernel(params.data, params.index, data.data, data.index, options.lr, options.momentum, withMomentum ? buffer!.data : null, withMomentum ? buffer!.index : null, loss ?? null);
  }

  dispose(): void {}
}

interface Bodies {
  readonly apply: string;
  readonly train: (withMomentum: boolean) => string;
}

/**
 * Time unrolled: step t's activations are consts `a{t}_{l}_{o}`, its input `x{t}`. With `self` the
 * input is the network's own weights (self-application, self-training): `x{t}` is the weight `w{t}`
 * as loaded (the same value as reading it again, since nothing is stored before the end).
 */
function unrolledBodies(source: RecurrentSource, self: boolean): Bodies {
  const T = source.layout.weightCount;
  const L = source.lastLayer;
  const now = (t: number) => (l: number, o: number) => `a${t}_${l}_${o}`;
  const previous = (t: number) => (t === 0 ? () => '0' : now(t - 1));
  const loadInputs = (array: string, offset: string) =>
    range(T)
      .map((t) => (self ? `const x${t} = w${t};` : `const x${t} = ${array}[${offset} + ${t}];`))
      .join('\n');
  const forward = range(T)
    .map((t) => source.forwardStep(`x${t}`, previous(t), now(t)))
    .join('\n');
  return {
    apply: [
      source.loadLocals('w', 'F', 'fo'),
      loadInputs('I', 'io'),
      forward,
      range(T)
        .map((t) => `O[oo + ${t}] = ${now(t)(L, 0)};`)
        .join('\n'),
    ].join('\n'),
    train: (withMomentum) =>
      [
        source.loadLocals('w', 'P', 'po'),
        withMomentum ? source.loadLocals('m', 'M', 'mo') : '',
        loadInputs('D', 'd0'),
        forward,
        range(T)
          .map((t) => `const e${t} = ${now(t)(L, 0)} - x${t};`)
          .join('\n'),
        `const loss = (${range(T)
          .map((t) => `e${t} * e${t}`)
          .join(' + ')}) / ${T};`,
        source.declareGradients(),
        source.declareCarries(),
        range(T)
          .reverse()
          .map((t) => `{\n${source.backwardStep(`x${t}`, previous(t), now(t), `${2 / T} * e${t}`)}\n}`)
          .join('\n'),
        source.update(withMomentum),
        source.storeLocals('w', 'P', 'po'),
        withMomentum ? source.storeLocals('m', 'M', 'mo') : '',
        storeLoss('loss'),
      ].join('\n'),
  };
}

/** A loop over time; the state h is carried in locals, training keeps every step's activations in A. */
function loopedBodies(source: RecurrentSource): Bodies {
  const T = source.layout.weightCount;
  const U = source.layout.unitCount;
  const L = source.lastLayer;
  const units = source.units();
  const index = (l: number, o: number) => source.layout.layers[l].unitOffset + o;
  const h = (l: number, o: number) => `h${l}_${o}`;
  const a = (l: number, o: number) => `a${l}_${o}`;
  const p = (l: number, o: number) => `p${l}_${o}`;
  const declareState = `let ${units.map(([l, o]) => `${h(l, o)} = 0`).join(', ')};`;
  const carryState = units.map(([l, o]) => `${h(l, o)} = ${a(l, o)};`).join(' ');
  return {
    apply: [
      source.loadLocals('w', 'F', 'fo'),
      declareState,
      `for (let t = 0; t < ${T}; t++) {`,
      'const x = I[io + t];',
      source.forwardStep('x', h, a),
      carryState,
      `O[oo + t] = ${a(L, 0)};`,
      '}',
    ].join('\n'),
    train: (withMomentum) =>
      [
        source.loadLocals('w', 'P', 'po'),
        withMomentum ? source.loadLocals('m', 'M', 'mo') : '',
        declareState,
        'let loss = 0;',
        `for (let t = 0; t < ${T}; t++) {`,
        'const x = D[d0 + t];',
        source.forwardStep('x', h, a),
        carryState,
        `const base = (t + 1) * ${U};`,
        units.map(([l, o]) => `A[base + ${index(l, o)}] = ${a(l, o)};`).join(' '),
        `const e = ${a(L, 0)} - x;`,
        'loss += e * e;',
        '}',
        source.declareGradients(),
        source.declareCarries(),
        `for (let t = ${T - 1}; t >= 0; t--) {`,
        'const x = D[d0 + t];',
        `const base = (t + 1) * ${U};`,
        `const before = t * ${U};`,
        units.map(([l, o]) => `const ${a(l, o)} = A[base + ${index(l, o)}]; const ${p(l, o)} = A[before + ${index(l, o)}];`).join('\n'),
        source.backwardStep('x', p, a, `${2 / T} * (${a(L, 0)} - x)`),
        '}',
        source.update(withMomentum),
        source.storeLocals('w', 'P', 'po'),
        withMomentum ? source.storeLocals('m', 'M', 'mo') : '',
        storeLoss(`loss / ${T}`),
      ].join('\n'),
  };
}
