import { activationSource, derivativeSource, range, type Activation } from '@srnn/mlp';
import type { RecurrentLayout } from './recurrent-layout';

/** The statement recording network b's loss `expression` where a kernel's batch loop ends (L: the losses, or null). */
export function storeLoss(expression: string): string {
  return `if (L !== null) L[b] = ${expression};`;
}

/** Names the value of unit `o` of layer `l` at one time step. */
export type UnitName = (l: number, o: number) => string;

/**
 * Emits straight-line JavaScript for one time step of a stack of simple RNNs, forward and
 * backward (backpropagation through time), with the weights in locals `w0 … w{W-1}` and gradients
 * accumulating into `g0 …`. Units are unrolled; the kernels choose whether time steps are unrolled
 * too or run in a loop (see `RecurrentJsKernels`).
 */
export class RecurrentSource {
  constructor(
    readonly layout: RecurrentLayout,
    readonly activation: Activation,
  ) {}

  get lastLayer(): number {
    return this.layout.layers.length - 1;
  }

  /**
   * `const ${now(l, o)} = act(K x + R prev + b)` for every unit, layer by layer. `x` is the step's
   * scalar input; `previous(l, i)` the activation of unit i of layer l at the step before (or '0').
   */
  forwardStep(x: string, previous: UnitName, now: UnitName): string {
    const lines: string[] = [];
    this.layout.layers.forEach((layer, l) => {
      for (let o = 0; o < layer.units; o++) {
        const terms = range(layer.inputs).map((i) => `w${this.layout.kernelIndex(l, o, i)} * ${l === 0 ? x : now(l - 1, i)}`);
        for (let i = 0; i < layer.units; i++) terms.push(`w${this.layout.recurrentIndex(l, o, i)} * ${previous(l, i)}`);
        if (layer.biasOffset >= 0) terms.push(`w${layer.biasOffset + o}`);
        lines.push(`const ${now(l, o)} = ${this.activate(terms.join(' + '))};`);
      }
    });
    return lines.join('\n');
  }

  /**
   * Backward pass of one time step, to be run for t = T−1 down to 0 inside a block (it declares
   * `d{l}_{o}` consts). `now`/`previous`/`x` name the step's activations, the previous step's and the
   * input, as in `forwardStep`; `outputGradient` is dLoss/dy_t. The lets `c{l}_{o}` carry dLoss/dh
   * of layer l through the recurrent kernel from step t+1 into step t; they must start at 0 and are
   * updated for step t−1.
   */
  backwardStep(x: string, previous: UnitName, now: UnitName, outputGradient: string): string {
    const lines: string[] = [];
    const layers = this.layout.layers;
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      for (let o = 0; o < layer.units; o++) {
        const parts = [`c${l}_${o}`];
        if (l === layers.length - 1) parts.unshift(outputGradient);
        else {
          const above = layers[l + 1];
          for (let u = 0; u < above.units; u++) parts.push(`w${this.layout.kernelIndex(l + 1, u, o)} * d${l + 1}_${u}`);
        }
        lines.push(`const d${l}_${o} = ${this.timesDerivative(parts.join(' + '), now(l, o))};`);
      }
      for (let o = 0; o < layer.units; o++) {
        for (let i = 0; i < layer.inputs; i++) lines.push(`g${this.layout.kernelIndex(l, o, i)} += d${l}_${o} * ${l === 0 ? x : now(l - 1, i)};`);
        for (let i = 0; i < layer.units; i++) lines.push(`g${this.layout.recurrentIndex(l, o, i)} += d${l}_${o} * ${previous(l, i)};`);
        if (layer.biasOffset >= 0) lines.push(`g${layer.biasOffset + o} += d${l}_${o};`);
      }
      for (let i = 0; i < layer.units; i++) {
        lines.push(
          `c${l}_${i} = ${range(layer.units)
            .map((o) => `w${this.layout.recurrentIndex(l, o, i)} * d${l}_${o}`)
            .join(' + ')};`,
        );
      }
    }
    return lines.join('\n');
  }

  /** `let c{l}_{o} = 0` for every unit: the recurrent gradient carried backwards in time. */
  declareCarries(): string {
    return `let ${this.units()
      .map(([l, o]) => `c${l}_${o} = 0`)
      .join(', ')};`;
  }

  /** Every unit as [layer, unit] in stack order (index = unitOffset + o). */
  units(): [number, number][] {
    return this.layout.layers.flatMap((layer, l) => range(layer.units).map((o): [number, number] => [l, o]));
  }

  loadLocals(name: string, array: string, offset: string): string {
    return range(this.layout.weightCount)
      .map((k) => `let ${name}${k} = ${array}[${offset} + ${k}];`)
      .join('\n');
  }

  storeLocals(name: string, array: string, offset: string): string {
    return range(this.layout.weightCount)
      .map((k) => `${array}[${offset} + ${k}] = ${name}${k};`)
      .join('\n');
  }

  declareGradients(): string {
    return `let ${range(this.layout.weightCount)
      .map((k) => `g${k} = 0`)
      .join(', ')};`;
  }

  /** SGD with PyTorch-style momentum on locals w/g, buffer locals m (when momentum is used). */
  update(withMomentum: boolean): string {
    return range(this.layout.weightCount)
      .map((k) => (withMomentum ? `m${k} = momentum * m${k} + g${k}; w${k} -= lr * m${k};` : `w${k} -= lr * g${k};`))
      .join('\n');
  }

  /** The activation of the pre-activation expression `sum`. */
  activate(sum: string): string {
    return activationSource(this.activation, sum);
  }

  /** `(expression) · act'`, with act' written in terms of the activation's output `a`. */
  timesDerivative(expression: string, a: string): string {
    return this.activation === 'linear' ? expression : `(${expression}) * ${derivativeSource(this.activation, a)}`;
  }
}
