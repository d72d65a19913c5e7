import type { Activation, MlpLayout } from '@srnn/mlp';
import type { SimdLanes } from './simd-lanes';

/** The code a ReducedMlpWat emits with, for its reduction. */
export interface WatCode {
  readonly lanes: SimdLanes;
  /** Weights per network (the rows' length). */
  readonly W: number;
  /** `(local.set $name value)`, declaring the v128 local. */
  assign(name: string, value: string): void;
  emit(code: string): void;
  /** The lanes' rows at `base` = locals `${name}0 …` (rounded to float32). */
  storeRows(base: string, name: string): void;
}

/**
 * A reduction (k values of a weight vector, and back; see `Reduction` in @srnn/mlp) as WebAssembly
 * text over vector locals: the operations of its js source (`ReductionSource`), in their order.
 */
export interface WatReduction {
  readonly size: number;
  /** Assigns locals x0 … x{k-1}, the reduced values of the weights in locals `${name}0 …`; returns their names. */
  reduce(code: WatCode, name: string): string[];
  /** Writes the weights rebuilt from the locals `outputs` into the lanes' rows at `base`. */
  expand(code: WatCode, outputs: readonly string[], base: string): void;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The float32 lanes `lanes` of a ++ b (0–3 from a, 4–7 from b). */
const shuffle32 = (a: string, b: string, lanes: readonly number[]): string => `(i8x16.shuffle ${lanes.flatMap((j) => [0, 1, 2, 3].map((i) => 4 * j + i)).join(' ')} ${a} ${b})`;

/**
 * The kernels of a reduced MLP (aggregating, fft) as a WebAssembly module in f64x2 lanes (two
 * networks a block): the straight-line code of the js backend's fused kernels
 * (`ReducedMlpJsKernels`: the reduction's source, `MlpSource` unfolded, `backwardUpdate`)
 * operation for operation, so that every lane
 * computes the bits of the js code; float32 rows are promoted on load and demoted on store, as the
 * js code's reads and writes of a Float32Array (float64 rows, `storage: 'f64'`, are read and
 * written exactly, as the js code reads and writes a Float64Array).
 *
 * Exports `apply(n, F, I, O)`, `applySelf` (I = F), `train(n, P, D, M, L, lr, momentum)`,
 * `trainSelf` (D = P), `trainMomentum`, `trainMomentumSelf` over float32 rows at byte addresses
 * (in `memory`), n a multiple of 2; training writes the weights (and momentum) back in place and
 * the loss before the step to L (one stored value per network).
 */
export class ReducedMlpWat implements WatCode {
  readonly W: number;
  private readonly lines: string[] = [];
  private readonly locals = new Set<string>();

  constructor(
    private readonly layout: MlpLayout,
    private readonly activation: Activation,
    private readonly reduction: WatReduction,
    readonly lanes: SimdLanes,
  ) {
    if (activation !== 'linear' && activation !== 'relu') throw new Error(`no WebAssembly reduced-MLP kernels for ${activation} (no vector exp/tanh)`);
    if (lanes.numerics !== 'f64') throw new Error('the reduced-MLP WebAssembly kernels are f64x2');
    this.W = layout.weightCount;
  }

  module(): string {
    const functions = [false, true].flatMap((self) => [this.applyFunction(self), this.trainFunction(false, self), this.trainFunction(true, self)]);
    return ['(module', '(memory (export "memory") 1)', ...functions, ')'].join('\n');
  }

  private applyFunction(self: boolean): string {
    return this.func(self ? 'applySelf' : 'apply', ['n i32', 'F i32', 'I i32', 'O i32'], ['F', 'I', 'O'], false, () => {
      this.loadRows('w', 'F');
      if (!self) this.loadRows('v', 'I');
      const x = this.reduction.reduce(this, self ? 'w' : 'v');
      this.reduction.expand(this, this.forward(x), 'O');
    });
  }

  private trainFunction(withMomentum: boolean, self: boolean): string {
    const L = this.lanes;
    const k = this.reduction.size;
    const params = ['n i32', 'P i32', 'D i32', 'M i32', 'L i32', 'lr f64', 'momentum f64'];
    return this.func(`train${withMomentum ? 'Momentum' : ''}${self ? 'Self' : ''}`, params, ['P', 'D', 'M'], true, () => {
      this.loadRows('w', 'P');
      if (!self) this.loadRows('v', 'D');
      const x = this.reduction.reduce(this, self ? 'w' : 'v');
      if (withMomentum) this.loadRows('m', 'M');
      const outputs = this.forward(x);
      for (const i of range(k)) this.assign(`e${i}`, L.sub(L.get(outputs[i]), L.get(x[i])));
      this.assign('loss', L.div(this.sum(range(k).map((i) => L.mul(L.get(`e${i}`), L.get(`e${i}`)))), L.constant(k)));
      this.backwardUpdate(
        range(k).map((i) => L.mul(L.constant(2 / k), L.get(`e${i}`))),
        x,
        withMomentum,
      );
      this.storeRows('P', 'w');
      if (withMomentum) this.storeRows('M', 'm');
      if (L.storage === 'f64') for (const lane of range(L.lanes)) this.emit(`(v128.store64_lane offset=${lane * 8} ${lane} (local.get $L) (local.get $loss))`);
      else {
        this.assign('scratch', '(f32x4.demote_f64x2_zero (local.get $loss))');
        for (const lane of range(L.lanes)) this.emit(`(v128.store32_lane offset=${lane * 4} ${lane} (local.get $L) (local.get $scratch))`);
      }
    });
  }

  /** The forward pass from the locals `inputs` into locals `a{l}_{o}`; returns the outputs' locals. */
  private forward(inputs: readonly string[]): readonly string[] {
    const L = this.lanes;
    let previous = inputs;
    this.layout.layers.forEach((layer, l) => {
      previous = range(layer.outputs).map((o) => {
        const terms = previous.map((a, i) => L.mul(L.get(`w${this.layout.weightIndex(l, o, i)}`), L.get(a)));
        if (layer.biasOffset >= 0) terms.push(L.get(`w${layer.biasOffset + o}`));
        this.assign(`a${l + 1}_${o}`, this.activate(this.sum(terms)));
        return `a${l + 1}_${o}`;
      });
    });
    return previous;
  }

  /**
   * `MlpSource.backwardUpdate`: from the last layer down, a layer's upstream gradients are taken
   * (with its weights before the step), then each of its weights steps by lr · (0 + its one term).
   */
  private backwardUpdate(outputGradients: readonly string[], inputs: readonly string[], withMomentum: boolean): void {
    const L = this.lanes;
    const layers = this.layout.layers;
    const last = layers.length;
    let upstream = outputGradients.map((gradient, o) => {
      this.assign(`d${last}_${o}`, this.timesDerivative(gradient, `a${last}_${o}`));
      return `d${last}_${o}`;
    });
    const step = (k: number, term: string) => {
      const g = L.add(L.constant(0), term);
      if (withMomentum) {
        this.assign(`m${k}`, L.add(L.mul(L.get('momentumv'), L.get(`m${k}`)), g));
        this.assign(`w${k}`, L.sub(L.get(`w${k}`), L.mul(L.get('lrv'), L.get(`m${k}`))));
      } else {
        this.assign(`w${k}`, L.sub(L.get(`w${k}`), L.mul(L.get('lrv'), g)));
      }
    };
    for (let l = last - 1; l >= 0; l--) {
      const layer = layers[l];
      const current = upstream;
      const next =
        l === 0
          ? []
          : range(layer.inputs).map((i) => {
              const sum = this.sum(range(layer.outputs).map((o) => L.mul(L.get(`w${this.layout.weightIndex(l, o, i)}`), L.get(current[o]))));
              this.assign(`d${l}_${i}`, this.timesDerivative(sum, `a${l}_${i}`));
              return `d${l}_${i}`;
            });
      for (let o = 0; o < layer.outputs; o++) {
        for (let i = 0; i < layer.inputs; i++) step(this.layout.weightIndex(l, o, i), L.mul(L.get(current[o]), L.get(l === 0 ? inputs[i] : `a${l}_${i}`)));
        if (layer.biasOffset >= 0) step(layer.biasOffset + o, L.get(current[o]));
      }
      upstream = next;
    }
  }

  /** A function looping over blocks of lanes: `body` emits one block's code; `walked` address params advance a block each (L a loss each lane). */
  private func(name: string, params: string[], walked: string[], training: boolean, body: () => void): string {
    const L = this.lanes;
    this.lines.length = 0;
    this.locals.clear();
    if (training) ['lrv', 'momentumv'].forEach((l) => this.locals.add(l));
    body();
    const code = this.lines.join('\n');
    const advance = walked.map((p) => `(local.set $${p} (i32.add (local.get $${p}) (i32.const ${L.blockBytes})))`);
    return [
      `(func (export "${name}") ${params.map((p) => `(param $${p})`).join(' ')}`,
      [...this.locals].map((l) => `(local $${l} v128)`).join(' '),
      ...(training ? [L.set('lrv', L.splat('lr')), L.set('momentumv', L.splat('momentum'))] : []),
      '(block $done (loop $next',
      '(br_if $done (i32.le_s (local.get $n) (i32.const 0)))',
      code,
      ...advance,
      ...(training ? [`(local.set $L (i32.add (local.get $L) (i32.const ${L.lanes * L.bytes})))`] : []),
      `(local.set $n (i32.sub (local.get $n) (i32.const ${L.lanes})))`,
      '(br $next)))',
      ')',
    ].join('\n');
  }

  emit(code: string): void {
    this.lines.push(code);
  }

  assign(name: string, value: string): void {
    this.locals.add(name);
    this.emit(this.lanes.set(name, value));
  }

  /**
   * Locals `${name}0 …` = the lanes' rows at `base`: 4 values of both rows at a time (two loads,
   * interleaved by shuffles, promoted), the rest one at a time.
   */
  private loadRows(name: string, base: string): void {
    const W = this.W;
    let k = 0;
    for (; k + 4 <= W && this.lanes.storage === 'f32'; k += 4) {
      this.assign('ra', `(v128.load offset=${k * 4} (local.get $${base}))`);
      this.assign('rb', `(v128.load offset=${(W + k) * 4} (local.get $${base}))`);
      this.assign('lo', shuffle32('(local.get $ra)', '(local.get $rb)', [0, 4, 1, 5]));
      this.assign('hi', shuffle32('(local.get $ra)', '(local.get $rb)', [2, 6, 3, 7]));
      ['lo', 'hi'].forEach((pair, p) => {
        this.assign(`${name}${k + 2 * p}`, `(f64x2.promote_low_f32x4 (local.get $${pair}))`);
        this.assign(`${name}${k + 2 * p + 1}`, `(f64x2.promote_low_f32x4 ${shuffle32(`(local.get $${pair})`, `(local.get $${pair})`, [2, 3, 2, 3])})`);
      });
    }
    for (; k < W; k++) this.assign(`${name}${k}`, this.lanes.load(base, k));
  }

  /** The lanes' rows at `base` = locals `${name}0 …`, each rounded to float32: 4 values of both rows at a time, the rest one at a time. */
  storeRows(base: string, name: string): void {
    const W = this.W;
    this.locals.add('scratch');
    const demoted = (k: number) => `(f32x4.demote_f64x2_zero (local.get $${name}${k}))`;
    let k = 0;
    for (; k + 4 <= W && this.lanes.storage === 'f32'; k += 4) {
      this.assign('ra', shuffle32(demoted(k), demoted(k + 1), [0, 4, 1, 5]));
      this.assign('rb', shuffle32(demoted(k + 2), demoted(k + 3), [0, 4, 1, 5]));
      this.emit(`(v128.store offset=${k * 4} (local.get $${base}) ${shuffle32('(local.get $ra)', '(local.get $rb)', [0, 1, 4, 5])})`);
      this.emit(`(v128.store offset=${(W + k) * 4} (local.get $${base}) ${shuffle32('(local.get $ra)', '(local.get $rb)', [2, 3, 6, 7])})`);
    }
    for (; k < W; k++) this.emit(this.lanes.store(base, k, this.lanes.get(`${name}${k}`), 'scratch'));
  }

  private sum(terms: readonly string[]): string {
    return terms.reduce((acc, t) => this.lanes.add(acc, t));
  }

  private activate(sum: string): string {
    return this.activation === 'relu' ? this.lanes.max(this.lanes.constant(0), sum) : sum;
  }

  private timesDerivative(expression: string, a: string): string {
    return this.activation === 'relu' ? this.lanes.mul(expression, this.lanes.positive(this.lanes.get(a))) : expression;
  }
}
