import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';
import { compileWith, mlpKernelCode, MlpLoopSource, MlpSource, range, type Activation, type KernelCode, type MlpLayout } from '@srnn/mlp';
import { closedFormApplies, closedFormTrainBody } from './weightwise-closed-form';

/** Up to this many weights, rows are unrolled with their positions as literals. */
const UNROLL_LIMIT = 64;

type ApplyOne = (F: Float32Array, fo: number, I: Float32Array, io: number, O: Float32Array, oo: number) => void;
/**
 * Where full-batch training of linear bias-free networks takes the closed form
 * (`closedFormTrainBody`): 'plain' (the default) for plain SGD, where it is bit-identical to the
 * general kernel (weights and loss, tests and golden logs); 'all' with momentum too, where the
 * momentum buffer can differ from the general kernel's in its last float32 bit (opt-in); 'off'.
 */
export type ClosedForm = 'off' | 'plain' | 'all';

type TrainOne = (P: Float32Array, po: number, D: Float32Array, d0: number, lr: number, momentum: number, M: Float32Array | null, mo: number, order: Int32Array | null) => number;

/**
 * Weightwise kernels for the js backend: JavaScript generated for this exact shape (layer sizes,
 * activation, bias, positions), one call per network, all arithmetic in local variables — or,
 * for large networks, in Float64Arrays (see `mlpKernelCode`).
 */
export class WeightwiseJsKernels implements NetworkKernels {
  readonly samplesPerNetwork: number;
  private readonly applyOne: ApplyOne;
  /** Full-batch kernels, [plain, momentum][with the loss, without (it returns NaN)]. */
  private readonly trainFull: readonly (readonly [TrainOne, TrainOne])[];
  /** The same without the closed form: for float64 weights, where the closed form's last bit can differ. */
  private readonly trainFullGeneral: readonly (readonly [TrainOne, TrainOne])[];
  private readonly trainSingle: TrainOne;
  private order = new Int32Array(0);

  /**
   * @param closedForm where full-batch training of linear bias-free networks takes the closed form
   *   instead of a forward and backward pass per row (see `ClosedForm`).
   */
  constructor(layout: MlpLayout, activation: Activation, positions: Float32Array, code = mlpKernelCode(layout.weightCount), closedForm: ClosedForm = 'plain') {
    const W = layout.weightCount;
    this.samplesPerNetwork = W;
    const scratch = new Float64Array(W);
    const applyParams = 'F, fo, I, io, O, oo';
    const trainParams = 'P, po, D, d0, lr, momentum, M, mo, order';
    const loops = new MlpLoopSource(layout, activation);
    const arrays = { Q: positions, S: scratch, ...loops.scratch() };
    const plain = new MlpSource(layout, activation);
    const compile = (params: string, body: string, slow?: unknown) => new Function('Q', 'S', 'slow', `"use strict"; return function (${params}) {\n${body}\n};`)(positions, scratch, slow) as never;
    const unrolled = W <= UNROLL_LIMIT;
    const rows = unrolled ? unrolledRows(positions) : loopedRows(W);
    const inLocals = (params: string, build: (source: MlpSource, guard: string) => string): never => {
      if (!unrolled) return compile(params, build(plain, ''));
      // Rows unrolled with their positions as literals, products with 0 and 1 folded away; networks
      // with a non-finite weight or input take the unfolded code so that NaN spreads as it should.
      const folded = new MlpSource(layout, activation, true);
      const guard = `if (!(${folded.finiteCheck('w')} && ${folded.finiteCheck('v')})) return slow(${params});`;
      return compile(params, build(folded, guard), compile(params, build(plain, '')));
    };
    const either = (kind: KernelCode, params: string, inArrays: () => string, build: (source: MlpSource, guard: string) => string): never =>
      kind === 'arrays' ? compileWith(arrays, params, inArrays()) : inLocals(params, build);
    this.applyOne = either(
      code.apply,
      applyParams,
      () => arrayApplyBody(loops),
      (source, g) => applyBody(source, rows, g),
    );
    // Full batch: [plain, momentum] × [with the loss, without]; the closed form where it applies.
    const general = [false, true].map((withMomentum): TrainOne =>
      either(
        code.train,
        trainParams,
        () => arrayTrainFullBody(loops, withMomentum),
        (source, g) => trainFullBody(source, rows, withMomentum, g),
      ),
    );
    const closedFormFor = (withMomentum: boolean, withLoss: boolean): TrainOne => {
      const fallback = general[withMomentum ? 1 : 0];
      if (closedForm === 'off' || (withMomentum && closedForm !== 'all') || !closedFormApplies(layout, activation)) return fallback;
      return compile(trainParams, closedFormTrainBody(layout, positions, withMomentum, withLoss, trainParams), fallback);
    };
    this.trainFull = [
      [closedFormFor(false, true), closedFormFor(false, false)],
      [closedFormFor(true, true), closedFormFor(true, false)],
    ];
    this.trainFullGeneral = general.map((kernel) => [kernel, kernel] as const);
    this.trainSingle = code.train === 'arrays' ? compileWith(arrays, trainParams, arrayTrainSingleBody(loops)) : compile(trainParams, trainSingleBody(plain));
  }

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const W = this.samplesPerNetwork;
    const n = fn.index.length;
    for (let k = 0; k < n; k++) {
      this.applyOne(fn.data, fn.index[k] * W, input.data, input.index[k] * W, out.data, out.index[k] * W);
    }
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const W = this.samplesPerNetwork;
    const n = params.index.length;
    const buffer = options.momentumBuffer;
    if (options.momentum !== 0 && !buffer) throw new Error('training with momentum needs a momentum buffer');
    const single = options.batch === 1;
    if (single && !options.rng) throw new Error('batch 1 training needs an rng for the sample order');
    // the closed form is bit-identical once results are rounded to float32 (tests, golden logs), not in float64
    const full = params.data instanceof Float32Array && data.data instanceof Float32Array ? this.trainFull : this.trainFullGeneral;
    const kernel = single ? this.trainSingle : full[buffer && options.momentum !== 0 ? 1 : 0][loss ? 0 : 1];
    const momentumData = options.momentum !== 0 && buffer ? buffer.data : null;
    for (let k = 0; k < n; k++) {
      let order: Int32Array | null = null;
      if (single) {
        order = this.freshOrder(W);
        options.rng!.shuffle(order);
      }
      const value = kernel(params.data, params.index[k] * W, data.data, data.index[k] * W, options.lr, options.momentum, momentumData, momentumData ? buffer!.index[k] * W : 0, order);
      if (loss) loss[k] = value;
    }
  }

  dispose(): void {}

  private freshOrder(W: number): Int32Array {
    if (this.order.length !== W) this.order = new Int32Array(W);
    for (let r = 0; r < W; r++) this.order[r] = r;
    return this.order;
  }
}

interface RowSource {
  /** Code before the rows (loads the data values). */
  readonly prelude: (array: string, offset: string) => string;
  /** Code for each row; `body(inputs, target, row)` gets JS expressions. */
  readonly each: (body: (inputs: string[], target: string, row: string) => string) => string;
}

function literal(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

function unrolledRows(positions: Float32Array): RowSource {
  const W = positions.length / 3;
  return {
    prelude: (array, offset) =>
      range(W)
        .map((r) => `const v${r} = ${array}[${offset} + ${r}];`)
        .join('\n'),
    each: (body) =>
      range(W)
        .map((r) => `{\n${body([`v${r}`, ...[0, 1, 2].map((c) => literal(positions[r * 3 + c]))], `v${r}`, String(r))}\n}`)
        .join('\n'),
  };
}

function loopedRows(W: number): RowSource {
  return {
    prelude: (array, offset) => `for (let r = 0; r < ${W}; r++) S[r] = ${array}[${offset} + r];`,
    each: (body) => `for (let r = 0; r < ${W}; r++) {\n${body(['S[r]', 'Q[3 * r]', 'Q[3 * r + 1]', 'Q[3 * r + 2]'], 'S[r]', 'r')}\n}`,
  };
}

function applyBody(source: MlpSource, rows: RowSource, guard: string): string {
  return [
    source.loadLocals('w', 'F', 'fo'),
    rows.prelude('I', 'io'),
    guard,
    rows.each((inputs, _target, row) => {
      const { code, outputs } = source.forward(inputs, '');
      return `${code}\nO[oo + ${row}] = ${outputs[0]};`;
    }),
  ].join('\n');
}

function trainFullBody(source: MlpSource, rows: RowSource, withMomentum: boolean, guard: string): string {
  const W = source.layout.weightCount;
  return [
    source.loadLocals('w', 'P', 'po'),
    rows.prelude('D', 'd0'),
    guard,
    withMomentum ? source.loadLocals('m', 'M', 'mo') : '',
    source.declareGradients(),
    'let loss = 0;',
    rows.each((inputs, target) => {
      const { code, outputs } = source.forward(inputs, '');
      return `${code}\nconst e = ${outputs[0]} - ${target};\nloss += e * e;\n${source.backward([`${2 / W} * e`], '', inputs)}`;
    }),
    source.update(withMomentum),
    source.storeLocals('w', 'P', 'po'),
    withMomentum ? source.storeLocals('m', 'M', 'mo') : '',
    `return loss / ${W};`,
  ].join('\n');
}

/** One epoch of single-row SGD steps in `order`, rows and targets fixed at the epoch's start. */
function trainSingleBody(source: MlpSource): string {
  const W = source.layout.weightCount;
  const rows = loopedRows(W);
  const step = (() => {
    const inputs = ['S[r]', 'Q[3 * r]', 'Q[3 * r + 1]', 'Q[3 * r + 2]'];
    const { code, outputs } = source.forward(inputs, '');
    return `${code}\nconst e = ${outputs[0]} - S[r];\nloss += e * e;\n${source.backward(['2 * e'], '', inputs)}`;
  })();
  return [
    source.loadLocals('w', 'P', 'po'),
    source.loadLocals('m', 'M', 'mo', { zeroWhenNull: true }),
    rows.prelude('D', 'd0'),
    source.declareGradients(),
    'let loss = 0;',
    `for (let t = 0; t < ${W}; t++) {`,
    'const r = order[t];',
    source.zeroGradients(),
    step,
    source.update(true),
    '}',
    source.storeLocals('w', 'P', 'po'),
    `if (M !== null) {\n${source.storeLocals('m', 'M', 'mo')}\n}`,
    `return loss / ${W};`,
  ].join('\n');
}

/** Row r's inputs [value, layer, cell, pos] into a0 (values of the rows in S, positions in Q). */
const ROW_INPUTS = 'a0[0] = S[r]; a0[1] = Q[3 * r]; a0[2] = Q[3 * r + 1]; a0[3] = Q[3 * r + 2];';

/** applyBody with looped rows, in arrays. */
function arrayApplyBody(source: MlpLoopSource): string {
  const W = source.layout.weightCount;
  return [
    source.load('w', 'F', 'fo'),
    `for (let r = 0; r < ${W}; r++) S[r] = I[io + r];`,
    `for (let r = 0; r < ${W}; r++) {`,
    ROW_INPUTS,
    source.forward(),
    `O[oo + r] = ${source.outputs}[0];`,
    '}',
  ].join('\n');
}

/** trainFullBody with looped rows, in arrays. */
function arrayTrainFullBody(source: MlpLoopSource, withMomentum: boolean): string {
  const W = source.layout.weightCount;
  return [
    source.load('w', 'P', 'po'),
    `for (let r = 0; r < ${W}; r++) S[r] = D[d0 + r];`,
    withMomentum ? source.load('m', 'M', 'mo') : '',
    source.zeroGradients(),
    'let loss = 0;',
    `for (let r = 0; r < ${W}; r++) {`,
    ROW_INPUTS,
    source.forward(),
    `const e = ${source.outputs}[0] - S[r];`,
    'loss += e * e;',
    source.backward(`${2 / W} * e`),
    '}',
    source.update(withMomentum),
    source.store('w', 'P', 'po'),
    withMomentum ? source.store('m', 'M', 'mo') : '',
    `return loss / ${W};`,
  ].join('\n');
}

/** trainSingleBody in arrays. */
function arrayTrainSingleBody(source: MlpLoopSource): string {
  const W = source.layout.weightCount;
  return [
    source.load('w', 'P', 'po'),
    source.load('m', 'M', 'mo', { zeroWhenNull: true }),
    `for (let r = 0; r < ${W}; r++) S[r] = D[d0 + r];`,
    source.zeroGradients(),
    'let loss = 0;',
    `for (let t = 0; t < ${W}; t++) {`,
    'const r = order[t];',
    source.zeroGradients(),
    ROW_INPUTS,
    source.forward(),
    `const e = ${source.outputs}[0] - S[r];`,
    'loss += e * e;',
    source.backward('2 * e'),
    source.update(true),
    '}',
    source.store('w', 'P', 'po'),
    `if (M !== null) {\n${source.store('m', 'M', 'mo')}\n}`,
    `return loss / ${W};`,
  ].join('\n');
}
