import type { Activation } from '@srnn/mlp';
import type { RecurrentLayout } from '@srnn/recurrent';
import type { SimdLanes } from './simd-lanes';
import { range, WatKernelText } from './wat-kernel-text';

/** How the generated code runs time: unrolled (every activation of every step a local) or a loop (the steps' activations in scratch memory). */
export type RecurrentWatTime = 'unrolled' | 'looped';

/** How each kernel runs time. */
export interface RecurrentWatCode {
  readonly apply: RecurrentWatTime;
  readonly train: RecurrentWatTime;
}

/**
 * The code of each kernel by size. Measured (f64x2, linear, P = 1000, net-steps/s ÷ js's,
 * alternating, medians of 3–5 rounds on a busy 2-core machine), unrolled vs looped: W 17 train
 * 1.5–2.0× vs 2.1×, apply 1.9–2.0× vs 1.6–1.8×; W 25 apply 1.8× vs 2.0×; W 34 train 1.2× vs 2.5×,
 * apply 1.4× vs 2.5×; W 57 train 1.35× vs 3.4×, apply 1.0× vs 2.1×; W 136: 0.6× vs 3.4×, 0.65× vs
 * 1.8× (and 3.6 s vs 0.06 s to compile). f32x4 at W 17: train 3.2× vs 3.7×, apply 3.1× vs 2.5×.
 */
export function recurrentWatCode(weightCount: number): RecurrentWatCode {
  return { apply: weightCount <= 20 ? 'unrolled' : 'looped', train: 'looped' };
}

/** Names the value of unit `o` of layer `l` as a WAT expression. */
type Unit = (l: number, o: number) => string;

/**
 * The kernels of a recurrent network as a WebAssembly module, one network a lane: the js
 * backend's code (`RecurrentJsKernels`, `RecurrentSource`) operation for operation — each sum left
 * to right, the recurrent terms of step 0 multiplied by 0 (h₋₁), gradients, carries and the loss
 * starting at 0 (the unrolled js sum of squares has no leading 0, which changes nothing: a square
 * is never −0). In f64x2 lanes (two networks a block) every lane computes the bits of the js code:
 * float32 rows are promoted on load and demoted on store, as the js code's reads and writes of a
 * Float32Array (float64 rows are read and written exactly). In f32x4 lanes (four networks a block,
 * float32 rows) the same operations run in float32 arithmetic, constants rounded to float32.
 *
 * Time unrolled, every activation is a local; looped, the state is carried in locals, the sequence
 * read from the rows step by step and, training, every step's activations of a block go to
 * `scratchBytes` at address 0 (row t + 1 for step t; row 0, h₋₁, stays zero), read back by the
 * backward pass. `recurrentWatCode` chooses per kernel by size.
 *
 * Exports as `ReducedMlpWat`: `apply(n, F, I, O)`, `applySelf` (I = F), `train(n, P, D, M, L, lr,
 * momentum)`, `trainSelf` (D = P), `trainMomentum`, `trainMomentumSelf`; n a multiple of the lanes.
 */
export class RecurrentWat extends WatKernelText {
  /** Steps of the sequence (= weights). */
  private readonly T: number;
  private readonly U: number;

  constructor(
    private readonly layout: RecurrentLayout,
    private readonly activation: Activation,
    lanes: SimdLanes,
    readonly code: RecurrentWatCode = recurrentWatCode(layout.weightCount),
  ) {
    super(lanes, layout.weightCount);
    if (activation !== 'linear' && activation !== 'relu') throw new Error(`no WebAssembly recurrent kernels for ${activation} (no vector exp/tanh)`);
    this.T = layout.weightCount;
    this.U = layout.unitCount;
  }

  /** Bytes at address 0 the code uses: every step's activations of a block (looped). */
  get scratchBytes(): number {
    return this.code.train === 'looped' ? (this.T + 1) * this.U * 16 : 0;
  }

  module(): string {
    const functions = [false, true].flatMap((self) => [this.applyFunction(self), this.trainFunction(false, self), this.trainFunction(true, self)]);
    return ['(module', '(memory (export "memory") 1)', ...functions, ')'].join('\n');
  }

  private applyFunction(self: boolean): string {
    const L = this.lanes;
    return this.func(self ? 'applySelf' : 'apply', ['n i32', 'F i32', 'I i32', 'O i32'], ['F', 'I', 'O'], false, () => {
      this.loadRows('w', 'F');
      if (this.code.apply === 'looped') {
        this.declare('scratch');
        this.forwardLoop(self ? 'F' : 'I', () => this.emit(L.store('oa', 0, L.get(this.outputName('a')), 'scratch')), 'O');
        return;
      }
      if (!self) this.loadRows('v', 'I');
      const x = this.sequence(self);
      for (const t of range(this.T)) this.forwardStep(L.get(x[t]), this.previous(t), (l, o) => this.unit(t, l, o));
      for (const t of range(this.T)) this.assign(`y${t}`, L.get(this.unit(t, this.lastLayer, 0)));
      this.storeRows('O', 'y');
    });
  }

  private trainFunction(withMomentum: boolean, self: boolean): string {
    const L = this.lanes;
    const params = ['n i32', 'P i32', 'D i32', 'M i32', 'L i32', 'lr f64', 'momentum f64'];
    return this.func(`train${withMomentum ? 'Momentum' : ''}${self ? 'Self' : ''}`, params, ['P', 'D', 'M'], true, () => {
      this.loadRows('w', 'P');
      if (withMomentum) this.loadRows('m', 'M');
      if (this.code.train === 'looped') this.trainLooped(self ? 'P' : 'D');
      else this.trainUnrolled(self);
      for (const k of range(this.W)) {
        if (withMomentum) {
          this.assign(`m${k}`, L.add(L.mul(L.get('momentumv'), L.get(`m${k}`)), L.get(`g${k}`)));
          this.assign(`w${k}`, L.sub(L.get(`w${k}`), L.mul(L.get('lrv'), L.get(`m${k}`))));
        } else this.assign(`w${k}`, L.sub(L.get(`w${k}`), L.mul(L.get('lrv'), L.get(`g${k}`))));
      }
      this.storeRows('P', 'w');
      if (withMomentum) this.storeRows('M', 'm');
      this.storeLoss();
    });
  }

  /** The gradient into g… and the loss, time unrolled. */
  private trainUnrolled(self: boolean): void {
    const L = this.lanes;
    const T = this.T;
    if (!self) this.loadRows('v', 'D');
    const x = this.sequence(self);
    for (const t of range(T)) this.forwardStep(L.get(x[t]), this.previous(t), (l, o) => this.unit(t, l, o));
    for (const t of range(T)) this.assign(`e${t}`, L.sub(L.get(this.unit(t, this.lastLayer, 0)), L.get(x[t])));
    this.assign('loss', L.div(this.sum(range(T).map((t) => L.mul(L.get(`e${t}`), L.get(`e${t}`)))), L.constant(T)));
    this.startGradients();
    for (let t = T - 1; t >= 0; t--) {
      this.backwardStep(L.get(x[t]), this.previous(t), (l, o) => L.get(this.unit(t, l, o)), L.mul(L.constant(2 / T), L.get(`e${t}`)));
    }
  }

  /** The gradient into g… and the loss, time looped: the forward loop keeps every step's activations, the backward loop reads them back. */
  private trainLooped(data: string): void {
    const L = this.lanes;
    const T = this.T;
    const U = this.U;
    this.assign('loss', L.constant(0));
    this.forwardLoop(data, () => {
      this.assign('e', L.sub(L.get(this.outputName('a')), L.get('x')));
      this.assign('loss', L.add(L.get('loss'), L.mul(L.get('e'), L.get('e'))));
    });
    this.assign('loss', L.div(L.get('loss'), L.constant(T)));
    this.startGradients();
    this.assignI32('t', `(i32.const ${T - 1})`);
    this.emit('(loop $backward');
    this.loadStep(data, true);
    for (const [l, o] of this.units()) {
      const at = this.layout.layers[l].unitOffset + o;
      this.assign(`n${l}_${o}`, `(v128.load offset=${(U + at) * 16} (local.get $aa))`);
      this.assign(`p${l}_${o}`, `(v128.load offset=${at * 16} (local.get $aa))`);
    }
    this.backwardStep(
      L.get('x'),
      (l, i) => L.get(`p${l}_${i}`),
      (l, o) => L.get(`n${l}_${o}`),
      L.mul(L.constant(2 / T), L.sub(L.get(this.outputName('n')), L.get('x'))),
    );
    this.assignI32('t', '(i32.sub (local.get $t) (i32.const 1))');
    this.emit('(br_if $backward (i32.ge_s (local.get $t) (i32.const 0))))');
  }

  /**
   * The loop over steps t = 0 … T−1 reading the sequence from the rows at `data`: state h… carried
   * in locals (starting at +0, the js code's `h = 0`); `after` emits what follows each step. For
   * training the step's activations a… go to scratch row t + 1; applying, `oa` is the address of
   * value t in the rows at `output`.
   */
  private forwardLoop(data: string, after: () => void, output?: string): void {
    const L = this.lanes;
    const U = this.U;
    for (const [l, o] of this.units()) this.assign(`h${l}_${o}`, L.constant(0));
    this.assignI32('t', '(i32.const 0)');
    this.emit('(loop $forward');
    this.loadStep(data, !output);
    this.forwardStep(
      L.get('x'),
      (l, i) => L.get(`h${l}_${i}`),
      (l, o) => `a${l}_${o}`,
    );
    for (const [l, o] of this.units()) {
      const at = this.layout.layers[l].unitOffset + o;
      if (!output) this.emit(`(v128.store offset=${(U + at) * 16} (local.get $aa) (local.get $a${l}_${o}))`);
      this.assign(`h${l}_${o}`, L.get(`a${l}_${o}`));
    }
    if (output) this.assignI32('oa', `(i32.add (local.get $${output}) (i32.mul (local.get $t) (i32.const ${L.bytes})))`);
    after();
    this.assignI32('t', '(i32.add (local.get $t) (i32.const 1))');
    this.emit(`(br_if $forward (i32.lt_s (local.get $t) (i32.const ${this.T}))))`);
  }

  /** x = value t of the lanes' rows at `data`; training, aa = the scratch address of step t's row (t · units vectors). */
  private loadStep(data: string, training: boolean): void {
    const L = this.lanes;
    this.assignI32('xa', `(i32.add (local.get $${data}) (i32.mul (local.get $t) (i32.const ${L.bytes})))`);
    this.assign('x', L.load('xa', 0));
    if (training) this.assignI32('aa', `(i32.mul (local.get $t) (i32.const ${this.U * 16}))`);
  }

  private startGradients(): void {
    for (const k of range(this.W)) this.assign(`g${k}`, this.lanes.constant(0));
    for (const [l, o] of this.units()) this.assign(`c${l}_${o}`, this.lanes.constant(0));
  }

  /** The locals of the input sequence: the weights as loaded (self) or the other rows. */
  private sequence(self: boolean): string[] {
    return range(this.T).map((t) => (self ? `w${t}` : `v${t}`));
  }

  private get lastLayer(): number {
    return this.layout.layers.length - 1;
  }

  /** Unit o of layer l at step t (unrolled). */
  private unit(t: number, l: number, o: number): string {
    return `a${t}_${l}_${o}`;
  }

  /** The output unit among the locals `${prefix}{l}_{o}` (looped). */
  private outputName(prefix: string): string {
    return `${prefix}${this.lastLayer}_0`;
  }

  /** The units at the step before t (unrolled): h₋₁ = 0, a constant the js code multiplies by. */
  private previous(t: number): Unit {
    return (l, i) => (t === 0 ? this.lanes.constant(0) : this.lanes.get(this.unit(t - 1, l, i)));
  }

  private units(): [number, number][] {
    return this.layout.layers.flatMap((layer, l) => range(layer.units).map((o): [number, number] => [l, o]));
  }

  /** `RecurrentSource.forwardStep`: local now(l, o) = act(K x + R previous + b), left to right. */
  private forwardStep(x: string, previous: Unit, now: (l: number, o: number) => string): void {
    const L = this.lanes;
    const w = (k: number) => L.get(`w${k}`);
    this.layout.layers.forEach((layer, l) => {
      for (let o = 0; o < layer.units; o++) {
        const terms = range(layer.inputs).map((i) => L.mul(w(this.layout.kernelIndex(l, o, i)), l === 0 ? x : L.get(now(l - 1, i))));
        for (let i = 0; i < layer.units; i++) terms.push(L.mul(w(this.layout.recurrentIndex(l, o, i)), previous(l, i)));
        if (layer.biasOffset >= 0) terms.push(w(layer.biasOffset + o));
        this.assign(now(l, o), this.activate(this.sum(terms)));
      }
    });
  }

  /** `RecurrentSource.backwardStep` of one step: deltas d, gradients g += …, carries c for the step before. */
  private backwardStep(x: string, previous: Unit, now: Unit, outputGradient: string): void {
    const L = this.lanes;
    const w = (k: number) => L.get(`w${k}`);
    const layers = this.layout.layers;
    const accumulate = (k: number, term: string) => this.assign(`g${k}`, L.add(L.get(`g${k}`), term));
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      for (let o = 0; o < layer.units; o++) {
        const parts = [L.get(`c${l}_${o}`)];
        if (l === layers.length - 1) parts.unshift(outputGradient);
        else for (let u = 0; u < layers[l + 1].units; u++) parts.push(L.mul(w(this.layout.kernelIndex(l + 1, u, o)), L.get(`d${l + 1}_${u}`)));
        this.assign(`d${l}_${o}`, this.timesDerivative(this.sum(parts), now(l, o)));
      }
      for (let o = 0; o < layer.units; o++) {
        const d = L.get(`d${l}_${o}`);
        for (let i = 0; i < layer.inputs; i++) accumulate(this.layout.kernelIndex(l, o, i), L.mul(d, l === 0 ? x : now(l - 1, i)));
        for (let i = 0; i < layer.units; i++) accumulate(this.layout.recurrentIndex(l, o, i), L.mul(d, previous(l, i)));
        if (layer.biasOffset >= 0) accumulate(layer.biasOffset + o, d);
      }
      for (let i = 0; i < layer.units; i++) {
        this.assign(`c${l}_${i}`, this.sum(range(layer.units).map((o) => L.mul(w(this.layout.recurrentIndex(l, o, i)), L.get(`d${l}_${o}`)))));
      }
    }
  }

  /** `Math.max(0, s)` for relu: f64x2.max gives its NaN and its +0 for max(0, −0). */
  private activate(sum: string): string {
    return this.activation === 'relu' ? this.lanes.max(this.lanes.constant(0), sum) : sum;
  }

  /** `(expression) * (a > 0 ? 1 : 0)` for relu (a: an expression). */
  private timesDerivative(expression: string, a: string): string {
    return this.activation === 'relu' ? this.lanes.mul(expression, this.lanes.positive(a)) : expression;
  }
}
