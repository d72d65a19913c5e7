import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';
import { compileWith, mlpKernelCode, MlpLoopSource, MlpSource, range, type Activation, type KernelCode, type MlpLayout } from '@srnn/mlp';
import { closedFormApplies, closedFormTrainBody, type KernelExit } from './weightwise-closed-form';

/** Up to this many weights, rows are unrolled with their positions as literals. */
const UNROLL_LIMIT = 64;

/**
 * Where full-batch training of linear bias-free networks takes the closed form
 * (`closedFormTrainBody`): 'plain' (the default) for plain SGD, where it is bit-identical to the
 * general kernel (weights and loss, tests and golden logs); 'all' with momentum too, where the
 * momentum buffer can differ from the general kernel's in its last float32 bit (opt-in); 'off'.
 */
export type ClosedForm = 'off' | 'plain' | 'all';

/** Applies each network of a batch (fn FI[b] to input II[b] into OI[b]); the batch loop is in the generated code. */
type ApplyBatch = (F: Float32Array, FI: Int32Array, I: Float32Array, II: Int32Array, O: Float32Array, OI: Int32Array) => void;
/**
 * Trains each network of a batch; its loss goes to L[b] (L may be null): no number is returned
 * boxed. Batch 1 calls `nextOrder` just before network b's epoch for its row order.
 */
type TrainBatch = (
  P: Float32Array,
  PI: Int32Array,
  D: Float32Array,
  DI: Int32Array,
  lr: number,
  momentum: number,
  M: Float32Array | null,
  MI: Int32Array | null,
  L: Float32Array | null,
  nextOrder: (() => Int32Array) | null,
) => void;

/** How the code of one kernel is called: for one network (the fallback of guarded code) and for a batch. */
interface Signature {
  /** The parameters of the function for one network. */
  readonly one: string;
  /** The parameters of the function for a batch. */
  readonly batch: string;
  /** The index array the batch loop runs over. */
  readonly index: string;
  /** Statements at the start of each network b of a batch: its offsets. */
  readonly offsets: (W: number) => string;
  /** Statement of a batch kernel handing network b to `slow`, the function for one network, and going on with the next. */
  readonly slow: string;
}

const APPLY: Signature = {
  one: 'F, fo, I, io, O, oo',
  batch: 'F, FI, I, II, O, OI',
  index: 'FI',
  offsets: (W) => `const fo = FI[b] * ${W}; const io = II[b] * ${W}; const oo = OI[b] * ${W};`,
  slow: '{ slow(F, fo, I, io, O, oo); continue; }',
};

const TRAIN: Signature = {
  one: 'P, po, D, d0, lr, momentum, M, mo',
  batch: 'P, PI, D, DI, lr, momentum, M, MI, L, nextOrder',
  index: 'PI',
  offsets: (W) => `const po = PI[b] * ${W}; const d0 = DI[b] * ${W}; const mo = MI === null ? 0 : MI[b] * ${W};`,
  slow: '{ const slowLoss = slow(P, po, D, d0, lr, momentum, M, mo); if (L !== null) L[b] = slowLoss; continue; }',
};

const exitOne = (signature: Signature): KernelExit => ({ loss: (value) => `return ${value};`, slow: `return slow(${signature.one});` });
const exitBatch = (signature: Signature): KernelExit => ({ loss: (value) => `if (L !== null) L[b] = ${value};`, slow: signature.slow });

/**
 * A kernel body: `guard` hands networks with a non-finite weight or input to `slow` ('' where there
 * is none); with `self` (unrolled rows only) the input rows are the network's own weights as loaded.
 */
type Build = (source: MlpSource, guard: string, exit: KernelExit, self: boolean) => string;

/** A batch kernel for other inputs and for the networks' own weights as inputs (self-training, self-application). */
type OtherOrSelf<T> = readonly [other: T, self: T];

/**
 * Weightwise kernels for the js backend: JavaScript generated for this exact shape (layer sizes,
 * activation, bias, positions), one function per kernel that loops over the batch itself, all
 * arithmetic in local variables — or, for large networks, in Float64Arrays (see `mlpKernelCode`).
 * Losses go into the caller's array; nothing is allocated or boxed per network. Self-training
 * (data = params) and self-application (input = fn) with unrolled rows take the rows from the
 * weights already loaded.
 */
export class WeightwiseJsKernels implements NetworkKernels {
  readonly samplesPerNetwork: number;
  private readonly applyBatch: OtherOrSelf<ApplyBatch>;
  /** Full-batch kernels, [plain, momentum][with the loss, without (L null)]. */
  private readonly trainFull: readonly (readonly [OtherOrSelf<TrainBatch>, OtherOrSelf<TrainBatch>])[];
  /** The same without the closed form: for float64 weights, where the closed form's last bit can differ. */
  private readonly trainFullGeneral: readonly (readonly [OtherOrSelf<TrainBatch>, OtherOrSelf<TrainBatch>])[];
  private readonly trainSingle: TrainBatch;
  private order = new Int32Array(0);
  /** The rng of the batch-1 training under way (its orders are drawn network by network). */
  private orderRng: TrainOptions['rng'] = undefined;
  private readonly nextOrder = (): Int32Array => {
    const order = this.freshOrder(this.samplesPerNetwork);
    this.orderRng!.shuffle(order);
    return order;
  };

  /**
   * @param closedForm where full-batch training of linear bias-free networks takes the closed form
   *   instead of a forward and backward pass per row (see `ClosedForm`).
   */
  constructor(layout: MlpLayout, activation: Activation, positions: Float32Array, code = mlpKernelCode(layout.weightCount), closedForm: ClosedForm = 'plain') {
    const W = layout.weightCount;
    this.samplesPerNetwork = W;
    const scratch = new Float64Array(W);
    const loops = new MlpLoopSource(layout, activation);
    const arrays = { Q: positions, S: scratch, ...loops.scratch() };
    const plain = new MlpSource(layout, activation);
    const folded = new MlpSource(layout, activation, true);
    const one = (signature: Signature, body: string, slow?: unknown) => compileWith({ Q: positions, S: scratch, slow }, signature.one, body);
    const batch = (signature: Signature, body: string, bound: Record<string, unknown>) =>
      compileWith(bound, signature.batch, `for (let b = 0; b < ${signature.index}.length; b++) {\n${signature.offsets(W)}\n${body}\n}`);
    const unrolled = W <= UNROLL_LIMIT;
    const rows = unrolled ? unrolledRows(positions) : loopedRows(W);
    // Rows unrolled with their positions as literals, products with 0 and 1 folded away; networks
    // with a non-finite weight or input take the unfolded code so that NaN spreads as it should.
    // With the network's own weights as inputs (self) these are the same values, checked once.
    const guard = (exit: KernelExit, self: boolean) => `if (!(${folded.finiteCheck('w')}${self ? '' : ` && ${folded.finiteCheck('v')}`})) ${exit.slow}`;
    const both = <T>(kernel: T): OtherOrSelf<T> => [kernel, kernel];
    /** The kernel for one network (the fallback of the closed form) and for a batch. */
    const generate = (signature: Signature, kind: KernelCode, inArrays: (exit: KernelExit) => string, build: Build): { one: never; batch: OtherOrSelf<never> } => {
      if (kind === 'arrays') return { one: compileWith(arrays, signature.one, inArrays(exitOne(signature))), batch: both(batch(signature, inArrays(exitBatch(signature)), arrays)) };
      if (!unrolled)
        return { one: one(signature, build(plain, '', exitOne(signature), false)), batch: both(batch(signature, build(plain, '', exitBatch(signature), false), { Q: positions, S: scratch })) };
      const slow = one(signature, build(plain, '', exitOne(signature), false));
      const guarded = (self: boolean): never => batch(signature, build(folded, guard(exitBatch(signature), self), exitBatch(signature), self), { Q: positions, S: scratch, slow });
      return { one: one(signature, build(folded, guard(exitOne(signature), false), exitOne(signature), false), slow), batch: [guarded(false), guarded(true)] };
    };
    this.applyBatch = generate(
      APPLY,
      code.apply,
      () => arrayApplyBody(loops),
      (source, g, _exit, self) => applyBody(source, rows, g, self),
    ).batch;
    // Full batch: [plain, momentum] × [with the loss, without]; the closed form where it applies.
    const general = [false, true].map((withMomentum) =>
      generate(
        TRAIN,
        code.train,
        (exit) => arrayTrainFullBody(loops, withMomentum, exit),
        (source, g, exit, self) => trainFullBody(source, rows, withMomentum, g, exit, self),
      ),
    );
    const closedFormFor = (withMomentum: boolean, withLoss: boolean): OtherOrSelf<TrainBatch> => {
      const fallback = general[withMomentum ? 1 : 0];
      if (closedForm === 'off' || (withMomentum && closedForm !== 'all') || !closedFormApplies(layout, activation)) return fallback.batch;
      const closed = (self: boolean): TrainBatch => batch(TRAIN, closedFormTrainBody(layout, positions, withMomentum, withLoss, exitBatch(TRAIN), self), { slow: fallback.one });
      return [closed(false), closed(true)];
    };
    this.trainFull = [
      [closedFormFor(false, true), closedFormFor(false, false)],
      [closedFormFor(true, true), closedFormFor(true, false)],
    ];
    this.trainFullGeneral = general.map(({ batch }) => both(batch));
    const single = exitBatch(TRAIN);
    this.trainSingle = code.train === 'arrays' ? batch(TRAIN, arrayTrainSingleBody(loops, single), arrays) : batch(TRAIN, trainSingleBody(plain, single), { Q: positions, S: scratch });
  }

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const self = fn.data === input.data && fn.index === input.index;
    this.applyBatch[self ? 1 : 0](fn.data, fn.index, input.data, input.index, out.data, out.index);
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const buffer = options.momentumBuffer;
    if (options.momentum !== 0 && !buffer) throw new Error('training with momentum needs a momentum buffer');
    const single = options.batch === 1;
    if (single && !options.rng) throw new Error('batch 1 training needs an rng for the sample order');
    // the closed form is bit-identical once results are rounded to float32 (tests, golden logs), not in float64
    const full = params.data instanceof Float32Array && data.data instanceof Float32Array ? this.trainFull : this.trainFullGeneral;
    const momentum = options.momentum !== 0 && buffer ? buffer : undefined;
    const self = params.data === data.data && params.index === data.index;
    const kernel = single ? this.trainSingle : full[momentum ? 1 : 0][loss ? 0 : 1][self ? 1 : 0];
    this.orderRng = options.rng;
    kernel(
      params.data,
      params.index,
      data.data,
      data.index,
      options.lr,
      options.momentum,
      momentum ? momentum.data : null,
      momentum ? momentum.index : null,
      loss ?? null,
      single ? this.nextOrder : null,
    );
  }

  dispose(): void {}

  private freshOrder(W: number): Int32Array {
    if (this.order.length !== W) this.order = new Int32Array(W);
    for (let r = 0; r < W; r++) this.order[r] = r;
    return this.order;
  }
}

interface RowSource {
  /** Code before the rows (loads the data values; with `self`, unrolled rows take them from the weights `w` as loaded). */
  readonly prelude: (array: string, offset: string, self?: boolean) => string;
  /** Code for each row; `body(inputs, target, row)` gets JS expressions. */
  readonly each: (body: (inputs: string[], target: string, row: string) => string) => string;
}

function literal(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

function unrolledRows(positions: Float32Array): RowSource {
  const W = positions.length / 3;
  return {
    prelude: (array, offset, self = false) =>
      range(W)
        .map((r) => (self ? `const v${r} = w${r};` : `const v${r} = ${array}[${offset} + ${r}];`))
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

function applyBody(source: MlpSource, rows: RowSource, guard: string, self: boolean): string {
  return [
    source.loadLocals('w', 'F', 'fo'),
    rows.prelude('I', 'io', self),
    guard,
    rows.each((inputs, _target, row) => {
      const { code, outputs } = source.forward(inputs, '');
      return `${code}\nO[oo + ${row}] = ${outputs[0]};`;
    }),
  ].join('\n');
}

function trainFullBody(source: MlpSource, rows: RowSource, withMomentum: boolean, guard: string, exit: KernelExit, self: boolean): string {
  const W = source.layout.weightCount;
  return [
    source.loadLocals('w', 'P', 'po'),
    rows.prelude('D', 'd0', self),
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
    exit.loss(`loss / ${W}`),
  ].join('\n');
}

/** One epoch of single-row SGD steps in the order `nextOrder()` draws, rows and targets fixed at the epoch's start. */
function trainSingleBody(source: MlpSource, exit: KernelExit): string {
  const W = source.layout.weightCount;
  const rows = loopedRows(W);
  const step = (() => {
    const inputs = ['S[r]', 'Q[3 * r]', 'Q[3 * r + 1]', 'Q[3 * r + 2]'];
    const { code, outputs } = source.forward(inputs, '');
    return `${code}\nconst e = ${outputs[0]} - S[r];\nloss += e * e;\n${source.backward(['2 * e'], '', inputs)}`;
  })();
  return [
    'const order = nextOrder();',
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
    exit.loss(`loss / ${W}`),
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
function arrayTrainFullBody(source: MlpLoopSource, withMomentum: boolean, exit: KernelExit): string {
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
    exit.loss(`loss / ${W}`),
  ].join('\n');
}

/** trainSingleBody in arrays. */
function arrayTrainSingleBody(source: MlpLoopSource, exit: KernelExit): string {
  const W = source.layout.weightCount;
  return [
    'const order = nextOrder();',
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
    exit.loss(`loss / ${W}`),
  ].join('\n');
}
