import type { NetworkKernels, NetworkShape, Rng, TrainOptions, WeightBatch } from '@srnn/core';
import { JsKernelProvider } from './js-kernel-provider';
import { compileWith, mlpKernelCode, MlpLoopSource, type KernelCode, type MlpKernelCode } from './js-mlp-loop-source';
import { MlpSource, range } from './js-mlp-source';
import type { Activation, MlpLayout } from './mlp-layout';

/**
 * How a reduced network reads and writes a whole weight vector of n numbers (n = W, every particle
 * shares the architecture): `reduce` turns it into `size` numbers, the MLP's inputs; `expand`
 * turns `size` MLP outputs back into n weights (PAPER.md §1, aggregating and fft).
 */
export interface Reduction {
  /** k: the number of reduced values (the MLP's inputs and outputs). */
  readonly size: number;
  /** True when `expand` draws from the kernels' random stream (kernels then need one). */
  readonly draws?: boolean;
  /** out[0, k) ← the reduced values of weights[offset, offset + n). */
  reduce(weights: Float32Array, offset: number, out: Float64Array): void;
  /** out[offset, offset + n) ← the weights rebuilt from values[0, k); random reductions draw from `rng`. */
  expand(values: Float64Array, out: Float32Array, offset: number, rng?: Rng): void;
  /** Straight-line code computing the same numbers, for kernels generated per shape; none: the kernels call reduce and expand. */
  source?(): ReductionSource | undefined;
}

/**
 * A reduction as straight-line JavaScript, fused by `ReducedMlpJsKernels` with the MLP into one
 * generated function (no calls, loops or scratch arrays between them). Its code must compute
 * exactly the numbers of `reduce` and `expand`, operation for operation.
 */
export interface ReductionSource {
  /** Names the code: reductions with equal keys emit equal code (the compiled functions are shared). */
  readonly key: string;
  /** Statements declaring consts `x0 … x{k-1}`, the reduced values of the weights `read(0) … read(n-1)` (expressions). */
  reduce(read: (i: number) => string): string;
  /** Statements writing the weights rebuilt from the expressions `values` into array[offset, offset + n). */
  expand(values: readonly string[], array: string, offset: string): string;
}

/** Up to this many weights a reduction's source is fused into the kernels (the code grows with n). */
const FUSE_LIMIT = 1024;

/**
 * The fused kernels of a batch: each loops over the batch's networks itself. `trainSelf` is
 * training on the networks' own weights (params and data the same batch): the inputs are read from
 * the weights already loaded. Losses go to L[b] (L may be null): no number is returned boxed.
 */
interface FusedMlp {
  readonly apply: (F: Float32Array, FI: Int32Array, I: Float32Array, II: Int32Array, O: Float32Array, OI: Int32Array) => void;
  /** [plain, momentum] */
  readonly train: readonly FusedTrain[];
  readonly trainSelf: readonly FusedTrain[];
}

type FusedTrain = (P: Float32Array, PI: Int32Array, D: Float32Array, DI: Int32Array, lr: number, momentum: number, M: Float32Array | null, MI: Int32Array | null, L: Float32Array | null) => void;

const fusedByShape = new Map<string, FusedMlp>();

function fusedMlp(layout: MlpLayout, activation: Activation, reduction: ReductionSource, k: number): FusedMlp {
  const key = JSON.stringify([layout.sizes, layout.bias, layout.layout, activation, reduction.key]);
  let fused = fusedByShape.get(key);
  if (!fused) {
    const W = layout.weightCount;
    const source = new MlpSource(layout, activation);
    const x = range(k).map((i) => `x${i}`);
    const compile = (params: string, offsets: string, body: string) =>
      new Function(`"use strict"; return function (${params}) {\nfor (let b = 0; b < ${params.split(', ')[1]}.length; b++) {\n${offsets}\n${body}\n}\n};`)() as never;
    const { code, outputs } = source.forward(x, '');
    const apply = [source.loadLocals('w', 'F', 'fo'), reduction.reduce((i) => `I[io + ${i}]`), code, reduction.expand(outputs, 'O', 'oo')].join('\n');
    const trainParams = 'P, PI, D, DI, lr, momentum, M, MI, L';
    const offsets = `const po = PI[b] * ${W}; const d0 = DI[b] * ${W}; const mo = MI === null ? 0 : MI[b] * ${W};`;
    const train = (withMomentum: boolean, self: boolean) => compile(trainParams, offsets, trainBody(source, k, withMomentum, x, reduction.reduce(self ? (i) => `w${i}` : (i) => `D[d0 + ${i}]`)));
    fused = {
      apply: compile('F, FI, I, II, O, OI', `const fo = FI[b] * ${W}; const io = II[b] * ${W}; const oo = OI[b] * ${W};`, apply),
      train: [train(false, false), train(true, false)],
      trainSelf: [train(false, true), train(true, true)],
    };
    fusedByShape.set(key, fused);
  }
  return fused;
}

/** The generated functions of one MLP shape and activation. */
interface CompiledMlp {
  readonly mlp: MlpOne;
  readonly trainPlain: TrainOne;
  readonly trainMomentum: TrainOne;
}

/**
 * Generated functions per shape, shared by every kernel object of the thread: generating,
 * compiling and optimising them costs more than a small run, and kernel objects of one shape (a
 * sweep's runs) differ only in their reduction, which the functions do not hold.
 */
const compiledByShape = new Map<string, CompiledMlp>();

function compiledMlp(layout: MlpLayout, activation: Activation, k: number, code: MlpKernelCode): CompiledMlp {
  const key = JSON.stringify([layout.sizes, layout.bias, layout.layout, activation, code.apply, code.train]);
  let compiled = compiledByShape.get(key);
  if (!compiled) {
    const source = new MlpSource(layout, activation);
    const loops = new MlpLoopSource(layout, activation);
    const scratch = { ...loops.scratch(), e: new Float64Array(k) };
    const compile = (kind: KernelCode, params: string, inLocals: () => string, inArrays: () => string) =>
      kind === 'arrays' ? compileWith(scratch, params, inArrays()) : (new Function(`"use strict"; return function (${params}) {\n${inLocals()}\n};`)() as never);
    const trainParams = 'P, po, X, lr, momentum, M, mo, L, b';
    compiled = {
      mlp: compile(
        code.apply,
        'F, fo, X, Y',
        () => mlpBody(source, k),
        () => arrayMlpBody(loops, k),
      ),
      trainPlain: compile(
        code.train,
        trainParams,
        () => trainBody(source, k, false, inputs(k)),
        () => arrayTrainBody(loops, k, false),
      ),
      trainMomentum: compile(
        code.train,
        trainParams,
        () => trainBody(source, k, true, inputs(k)),
        () => arrayTrainBody(loops, k, true),
      ),
    };
    compiledByShape.set(key, compiled);
  }
  return compiled;
}

type MlpOne = (F: Float32Array, fo: number, X: Float64Array, Y: Float64Array) => void;
/** Trains one network on the sample X; its loss goes to L[b] (L may be null): no number is returned boxed. */
type TrainOne = (P: Float32Array, po: number, X: Float64Array, lr: number, momentum: number, M: Float32Array | null, mo: number, L: Float32Array | null, b: number) => void;

/**
 * js kernels of a reduced MLP (k → … → k) for any `Reduction`: one sample per network, whose input
 * is the reduced weight vector and whose target is the same vector. The MLP's forward and backward
 * passes are JavaScript generated for this exact shape with `MlpSource` (`MlpLoopSource` for large
 * networks, see `mlpKernelCode`); reduce and expand run in float64 around them.
 */
export class ReducedMlpJsKernels implements NetworkKernels {
  readonly samplesPerNetwork = 1;
  private readonly W: number;
  private readonly mlp: MlpOne;
  private readonly trainPlain: TrainOne;
  private readonly trainMomentum: TrainOne;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  /** The reduction fused into generated code, where it has a source and the MLP's code is unrolled. */
  private readonly fused: FusedMlp | undefined;

  constructor(
    layout: MlpLayout,
    activation: Activation,
    private readonly reduction: Reduction,
    private readonly rng?: Rng,
    code = mlpKernelCode(layout.weightCount),
  ) {
    const k = reduction.size;
    const sizes = layout.sizes;
    if (sizes[0] !== k || sizes[sizes.length - 1] !== k) {
      throw new Error(`a reduced MLP needs ${k} inputs and outputs (its reduction's size), not ${sizes[0]} and ${sizes[sizes.length - 1]}`);
    }
    this.W = layout.weightCount;
    this.x = new Float64Array(k);
    this.y = new Float64Array(k);
    ({ mlp: this.mlp, trainPlain: this.trainPlain, trainMomentum: this.trainMomentum } = compiledMlp(layout, activation, k, code));
    const source = this.W <= FUSE_LIMIT && code.apply === 'locals' && code.train === 'locals' ? reduction.source?.() : undefined;
    this.fused = source ? fusedMlp(layout, activation, source, k) : undefined;
  }

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const { W, x, y, fused } = this;
    if (fused) return fused.apply(fn.data, fn.index, input.data, input.index, out.data, out.index);
    for (let b = 0; b < fn.index.length; b++) {
      this.reduction.reduce(input.data, input.index[b] * W, x);
      this.mlp(fn.data, fn.index[b] * W, x, y);
      this.reduction.expand(y, out.data, out.index[b] * W, this.rng);
    }
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const { W, x } = this;
    const buffer = options.momentum !== 0 ? options.momentumBuffer : undefined;
    if (options.momentum !== 0 && !buffer) throw new Error('training with momentum needs a momentum buffer');
    // One sample per network: a full batch and a batch-1 epoch are the same single step.
    const kernel = buffer ? this.trainMomentum : this.trainPlain;
    if (this.fused) {
      const self = params.data === data.data && params.index === data.index;
      const fused = (self ? this.fused.trainSelf : this.fused.train)[buffer ? 1 : 0];
      return fused(params.data, params.index, data.data, data.index, options.lr, options.momentum, buffer ? buffer.data : null, buffer ? buffer.index : null, loss ?? null);
    }
    for (let b = 0; b < params.index.length; b++) {
      this.reduction.reduce(data.data, data.index[b] * W, x);
      kernel(params.data, params.index[b] * W, x, options.lr, options.momentum, buffer ? buffer.data : null, buffer ? buffer.index[b] * W : 0, loss ?? null, b);
    }
  }

  dispose(): void {}
}

/** A network type built on a reduced MLP (k → … → k through a Reduction), e.g. aggregating and fft. */
export interface ReducedMlpNetwork extends NetworkShape {
  readonly layout: MlpLayout;
  readonly reduction: Reduction;
  readonly options: { readonly activation: Activation };
}

/** The kernels' random stream of a reduced network: required when its reduction draws. */
export function reductionStream(network: ReducedMlpNetwork, rng?: Rng): Rng | undefined {
  if (network.reduction.draws && !rng) throw new Error(`${network.type}: its reduction draws at random (e.g. shuffle: random), so its kernels need the run's random stream`);
  return rng;
}

/** The js kernels of a reduced-MLP network type; each such type registers one with its type name (not shared: kernels of one shape differ in their reduction and stream). */
export class ReducedMlpJsKernelProvider extends JsKernelProvider<ReducedMlpNetwork> {
  constructor(architecture: string) {
    super(architecture, (network, rng) => new ReducedMlpJsKernels(network.layout, network.options.activation, network.reduction, reductionStream(network, rng)));
  }
}

function inputs(k: number): string[] {
  return range(k).map((i) => `X[${i}]`);
}

function mlpBody(source: MlpSource, k: number): string {
  const { code, outputs } = source.forward(inputs(k), '');
  return [source.loadLocals('w', 'F', 'fo'), code, ...outputs.map((o, i) => `Y[${i}] = ${o};`)].join('\n');
}

/**
 * One SGD step on the sample (x → x, `x` the k input expressions, declared by `prelude` after the
 * weights are loaded), MSE over the k outputs; the loss before the step goes to L[b] (L may be null).
 */
function trainBody(source: MlpSource, k: number, withMomentum: boolean, x: readonly string[], prelude = ''): string {
  const { code, outputs } = source.forward(x, '');
  return [
    source.loadLocals('w', 'P', 'po'),
    prelude,
    withMomentum ? source.loadLocals('m', 'M', 'mo') : '',
    code,
    ...outputs.map((o, i) => `const e${i} = ${o} - ${x[i]};`),
    `const loss = (${range(k)
      .map((i) => `e${i} * e${i}`)
      .join(' + ')}) / ${k};`,
    source.backwardUpdate(
      range(k).map((i) => `${2 / k} * e${i}`),
      '',
      x,
      withMomentum,
    ),
    source.storeLocals('w', 'P', 'po'),
    withMomentum ? source.storeLocals('m', 'M', 'mo') : '',
    'if (L !== null) L[b] = loss;',
  ].join('\n');
}

/** mlpBody in arrays. */
function arrayMlpBody(source: MlpLoopSource, k: number): string {
  return [source.load('w', 'F', 'fo'), `for (let i = 0; i < ${k}; i++) a0[i] = X[i];`, source.forward(), `for (let i = 0; i < ${k}; i++) Y[i] = ${source.outputs}[i];`].join('\n');
}

/** trainBody in arrays (the errors in `e`). */
function arrayTrainBody(source: MlpLoopSource, k: number, withMomentum: boolean): string {
  const y = source.outputs;
  return [
    source.load('w', 'P', 'po'),
    withMomentum ? source.load('m', 'M', 'mo') : '',
    source.zeroGradients(),
    `for (let i = 0; i < ${k}; i++) a0[i] = X[i];`,
    source.forward(),
    `for (let i = 0; i < ${k}; i++) e[i] = ${y}[i] - X[i];`,
    'let sum = e[0] * e[0];',
    `for (let i = 1; i < ${k}; i++) sum += e[i] * e[i];`,
    `const loss = sum / ${k};`,
    source.backward(`${2 / k} * e[o]`),
    source.update(withMomentum),
    source.store('w', 'P', 'po'),
    withMomentum ? source.store('m', 'M', 'mo') : '',
    'if (L !== null) L[b] = loss;',
  ].join('\n');
}
