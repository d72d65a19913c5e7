import type { Activation, MlpLayout } from '@srnn/mlp';
import type { SimdLanes } from './simd-lanes';
import { range, WatKernelText, type WatCode } from './wat-kernel-text';

export type { WatCode } from './wat-kernel-text';

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
export class ReducedMlpWat extends WatKernelText {
  constructor(
    private readonly layout: MlpLayout,
    private readonly activation: Activation,
    private readonly reduction: WatReduction,
    lanes: SimdLanes,
  ) {
    super(lanes, layout.weightCount);
    if (activation !== 'linear' && activation !== 'relu') throw new Error(`no WebAssembly reduced-MLP kernels for ${activation} (no vector exp/tanh)`);
    if (lanes.numerics !== 'f64') throw new Error('the reduced-MLP WebAssembly kernels are f64x2');
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
      this.storeLoss();
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

  private activate(sum: string): string {
    return this.activation === 'relu' ? this.lanes.max(this.lanes.constant(0), sum) : sum;
  }

  private timesDerivative(expression: string, a: string): string {
    return this.activation === 'relu' ? this.lanes.mul(expression, this.lanes.positive(this.lanes.get(a))) : expression;
  }
}
