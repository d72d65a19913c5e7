import type { Activation } from '@srnn/mlp';
import type { RecurrentLayout } from '@srnn/recurrent';
import type { SimdLanes } from './simd-lanes';
import { range, WatKernelText } from './wat-kernel-text';

/**
 * The kernels of a recurrent network as a WebAssembly module, one network a lane: the js
 * backend's code with time unrolled (`RecurrentJsKernels`, `RecurrentSource`) operation for
 * operation — every activation of every step a local, each sum left to right, the recurrent terms
 * of step 0 multiplied by 0, gradients and carries starting at 0. In f64x2 lanes (two networks a
 * block) every lane computes the bits of the js code: float32 rows are promoted on load and
 * demoted on store, as the js code's reads and writes of a Float32Array (float64 rows are read and
 * written exactly). In f32x4 lanes (four networks a block, float32 rows) the same operations run
 * in float32 arithmetic, constants rounded to float32.
 *
 * Exports as `ReducedMlpWat`: `apply(n, F, I, O)`, `applySelf` (I = F), `train(n, P, D, M, L, lr,
 * momentum)`, `trainSelf` (D = P), `trainMomentum`, `trainMomentumSelf`; n a multiple of the lanes.
 */
export class RecurrentWat extends WatKernelText {
  /** Steps of the sequence (= weights). */
  private readonly T: number;

  constructor(
    private readonly layout: RecurrentLayout,
    private readonly activation: Activation,
    lanes: SimdLanes,
  ) {
    super(lanes, layout.weightCount);
    if (activation !== 'linear' && activation !== 'relu') throw new Error(`no WebAssembly recurrent kernels for ${activation} (no vector exp/tanh)`);
    this.T = layout.weightCount;
  }

  module(): string {
    const functions = [false, true].flatMap((self) => [this.applyFunction(self), this.trainFunction(false, self), this.trainFunction(true, self)]);
    return ['(module', '(memory (export "memory") 1)', ...functions, ')'].join('\n');
  }

  private applyFunction(self: boolean): string {
    return this.func(self ? 'applySelf' : 'apply', ['n i32', 'F i32', 'I i32', 'O i32'], ['F', 'I', 'O'], false, () => {
      this.loadRows('w', 'F');
      if (!self) this.loadRows('v', 'I');
      const x = this.sequence(self);
      this.forward(x);
      for (const t of range(this.T)) this.assign(`y${t}`, this.lanes.get(this.output(t)));
      this.storeRows('O', 'y');
    });
  }

  private trainFunction(withMomentum: boolean, self: boolean): string {
    const L = this.lanes;
    const T = this.T;
    const params = ['n i32', 'P i32', 'D i32', 'M i32', 'L i32', 'lr f64', 'momentum f64'];
    return this.func(`train${withMomentum ? 'Momentum' : ''}${self ? 'Self' : ''}`, params, ['P', 'D', 'M'], true, () => {
      this.loadRows('w', 'P');
      if (withMomentum) this.loadRows('m', 'M');
      if (!self) this.loadRows('v', 'D');
      const x = this.sequence(self);
      this.forward(x);
      for (const t of range(T)) this.assign(`e${t}`, L.sub(L.get(this.output(t)), L.get(x[t])));
      this.assign('loss', L.div(this.sum(range(T).map((t) => L.mul(L.get(`e${t}`), L.get(`e${t}`)))), L.constant(T)));
      for (const k of range(this.W)) this.assign(`g${k}`, L.constant(0));
      for (const [l, o] of this.units()) this.assign(`c${l}_${o}`, L.constant(0));
      for (let t = T - 1; t >= 0; t--) this.backwardStep(t, x[t], L.mul(L.constant(2 / T), L.get(`e${t}`)));
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

  /** The locals of the input sequence: the weights as loaded (self) or the other rows. */
  private sequence(self: boolean): string[] {
    return range(this.T).map((t) => (self ? `w${t}` : `v${t}`));
  }

  /** Unit o of layer l at step t. */
  private unit(t: number, l: number, o: number): string {
    return `a${t}_${l}_${o}`;
  }

  private output(t: number): string {
    return this.unit(t, this.layout.layers.length - 1, 0);
  }

  /** Unit i of layer l at the step before t: h₋₁ = 0 (a constant the js code multiplies by). */
  private previous(t: number, l: number, i: number): string {
    return t === 0 ? this.lanes.constant(0) : this.lanes.get(this.unit(t - 1, l, i));
  }

  private units(): [number, number][] {
    return this.layout.layers.flatMap((layer, l) => range(layer.units).map((o): [number, number] => [l, o]));
  }

  /** `RecurrentSource.forwardStep` for every step: K x + R h + b, left to right, activated. */
  private forward(x: readonly string[]): void {
    const L = this.lanes;
    const w = (k: number) => L.get(`w${k}`);
    for (const t of range(this.T)) {
      this.layout.layers.forEach((layer, l) => {
        for (let o = 0; o < layer.units; o++) {
          const terms = range(layer.inputs).map((i) => L.mul(w(this.layout.kernelIndex(l, o, i)), L.get(l === 0 ? x[t] : this.unit(t, l - 1, i))));
          for (let i = 0; i < layer.units; i++) terms.push(L.mul(w(this.layout.recurrentIndex(l, o, i)), this.previous(t, l, i)));
          if (layer.biasOffset >= 0) terms.push(w(layer.biasOffset + o));
          this.assign(this.unit(t, l, o), this.activate(this.sum(terms)));
        }
      });
    }
  }

  /** `RecurrentSource.backwardStep` of step t: deltas d, gradients g += …, carries c for step t − 1. */
  private backwardStep(t: number, x: string, outputGradient: string): void {
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
        this.assign(`d${l}_${o}`, this.timesDerivative(this.sum(parts), this.unit(t, l, o)));
      }
      for (let o = 0; o < layer.units; o++) {
        const d = L.get(`d${l}_${o}`);
        for (let i = 0; i < layer.inputs; i++) accumulate(this.layout.kernelIndex(l, o, i), L.mul(d, L.get(l === 0 ? x : this.unit(t, l - 1, i))));
        for (let i = 0; i < layer.units; i++) accumulate(this.layout.recurrentIndex(l, o, i), L.mul(d, this.previous(t, l, i)));
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

  /** `(expression) * (a > 0 ? 1 : 0)` for relu. */
  private timesDerivative(expression: string, a: string): string {
    return this.activation === 'relu' ? this.lanes.mul(expression, this.lanes.positive(this.lanes.get(a))) : expression;
  }
}
