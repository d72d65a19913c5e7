import type { Activation, MlpLayout } from './mlp-layout';

/**
 * Emits straight-line JavaScript for one sample's forward and backward pass through an MLP whose
 * weights sit in locals `w0 … w{W-1}` (gradients accumulate into `g0 …`). Architectures assemble
 * these fragments into kernels specialised to their shape; unrolled code is several times faster
 * than loops over layer sizes for small networks (see the benchmarks; `MlpLoopSource` emits the
 * loops, for large ones).
 */
export class MlpSource {
  /**
   * @param foldConstants drop products with literal 0 inputs and multiplications by literal 1. The
   *   result equals the unfolded code only while every weight and input is finite (0 · ∞ is NaN), so
   *   callers guard folded code with a finiteness check (see `finiteCheck`).
   */
  constructor(
    readonly layout: MlpLayout,
    readonly activation: Activation,
    readonly foldConstants = false,
  ) {}

  /** An expression that is true when every local `name0 …` is finite (the sum of ±∞ or NaN is NaN). */
  finiteCheck(name: string): string {
    const sum = range(this.layout.weightCount)
      .map((k) => `${name}${k}`)
      .join(' + ');
    return `((${sum}) - (${sum}) === 0)`;
  }

  /** Declares `name0 … name{W-1}` = array[offset + k] (or 0 when the array may be null and is). */
  loadLocals(name: string, array: string, offset: string, options: { zeroWhenNull?: boolean } = {}): string {
    const read = (k: number) => `${array}[${offset} + ${k}]`;
    const value = options.zeroWhenNull ? (k: number) => `${array} === null ? 0 : ${read(k)}` : read;
    return range(this.layout.weightCount)
      .map((k) => `let ${name}${k} = ${value(k)};`)
      .join('\n');
  }

  storeLocals(name: string, array: string, offset: string): string {
    return range(this.layout.weightCount)
      .map((k) => `${array}[${offset} + ${k}] = ${name}${k};`)
      .join('\n');
  }

  /**
   * Forward pass of one sample. `inputs` are JS expressions; activations go into `${tag}a{l}_{o}`
   * (layer 0 = inputs). Returns the code and the output variable names.
   */
  forward(inputs: readonly string[], tag: string): { code: string; outputs: string[] } {
    const lines: string[] = [];
    let previous = inputs.map((expression, i) => {
      if (this.literal(expression) !== undefined) return expression;
      const name = `${tag}a0_${i}`;
      lines.push(`const ${name} = ${expression};`);
      return name;
    });
    this.layout.layers.forEach((layer, l) => {
      const current: string[] = [];
      for (let o = 0; o < layer.outputs; o++) {
        const terms = previous.map((a, i) => this.product(`w${this.layout.weightIndex(l, o, i)}`, a)).filter((t) => t !== '');
        if (layer.biasOffset >= 0) terms.push(`w${layer.biasOffset + o}`);
        const name = `${tag}a${l + 1}_${o}`;
        lines.push(`const ${name} = ${this.activate(terms.join(' + ') || '0')};`);
        current.push(name);
      }
      previous = current;
    });
    return { code: lines.join('\n'), outputs: previous };
  }

  /**
   * Backward pass of the sample whose forward pass used `tag` and `inputs`, given expressions for
   * dLoss/dOutput; adds each weight's gradient into `g{k}`.
   */
  backward(outputGradients: readonly string[], tag: string, inputs: readonly string[]): string {
    return this.backwardPass(outputGradients, tag, inputs, false, (k, term) => (term === '' ? '' : `g${k} += ${term};`));
  }

  /**
   * `backward` and `update` of a single sample, without gradient locals: each weight steps as soon
   * as its gradient is known and the pass no longer reads it (a layer's upstream gradients are
   * taken before its weights change). The same numbers: each gradient is 0 + its one term.
   */
  backwardUpdate(outputGradients: readonly string[], tag: string, inputs: readonly string[], withMomentum: boolean): string {
    return this.backwardPass(outputGradients, tag, inputs, true, (k, term) => {
      const g = term === '' ? '0' : `0 + ${term}`;
      return withMomentum ? `m${k} = momentum * m${k} + (${g}); w${k} -= lr * m${k};` : `w${k} -= lr * (${g});`;
    });
  }

  /**
   * The layers from the last to the first: `gradient(k, term)` emits the code for weight k's term
   * ('' when folded away); a layer's upstream gradients come before (`upstreamFirst`) or after it.
   */
  private backwardPass(outputGradients: readonly string[], tag: string, inputs: readonly string[], upstreamFirst: boolean, gradient: (k: number, term: string) => string): string {
    const lines: string[] = [];
    const layers = this.layout.layers;
    let upstream = outputGradients.map((expression, o) => {
      const name = `${tag}d${layers.length}_${o}`;
      lines.push(`const ${name} = ${this.timesDerivative(expression, `${tag}a${layers.length}_${o}`)};`);
      return name;
    });
    const below = (l: number) =>
      range(layers[l].inputs).map((i) => {
        const sum = range(layers[l].outputs)
          .map((o) => `w${this.layout.weightIndex(l, o, i)} * ${upstream[o]}`)
          .join(' + ');
        const name = `${tag}d${l}_${i}`;
        lines.push(`const ${name} = ${this.timesDerivative(sum, `${tag}a${l}_${i}`)};`);
        return name;
      });
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const next = upstreamFirst && l > 0 ? below(l) : [];
      for (let o = 0; o < layer.outputs; o++) {
        for (let i = 0; i < layer.inputs; i++) {
          const input = l === 0 && this.literal(inputs[i]) !== undefined ? inputs[i] : `${tag}a${l}_${i}`;
          lines.push(gradient(this.layout.weightIndex(l, o, i), this.product(upstream[o], input)));
        }
        if (layer.biasOffset >= 0) lines.push(gradient(layer.biasOffset + o, upstream[o]));
      }
      if (l === 0) break;
      upstream = upstreamFirst ? next : below(l);
    }
    return lines.filter((line) => line !== '').join('\n');
  }

  /** SGD with PyTorch-style momentum on locals w/g, buffer locals m (when momentum is used). */
  update(withMomentum: boolean): string {
    return range(this.layout.weightCount)
      .map((k) => (withMomentum ? `m${k} = momentum * m${k} + g${k}; w${k} -= lr * m${k};` : `w${k} -= lr * g${k};`))
      .join('\n');
  }

  zeroGradients(): string {
    return range(this.layout.weightCount)
      .map((k) => `g${k} = 0;`)
      .join(' ');
  }

  declareGradients(): string {
    return `let ${range(this.layout.weightCount)
      .map((k) => `g${k} = 0`)
      .join(', ')};`;
  }

  /** `a * b`, folded when b is a literal 0 ('' = no term) or 1. */
  private product(a: string, b: string): string {
    const value = this.literal(b);
    if (value === undefined) return `${a} * ${b}`;
    if (value === 0) return '';
    return value === 1 ? a : `${a} * ${b}`;
  }

  private literal(expression: string): number | undefined {
    if (!this.foldConstants || !/^-?[0-9.e+-]+$/.test(expression)) return undefined;
    const value = Number(expression);
    return Number.isFinite(value) ? value : undefined;
  }

  /** `(expression) · act'(a)`, `a` naming the activation's output. */
  timesDerivative(expression: string, a: string): string {
    return this.activation === 'linear' ? `(${expression})` : `(${expression}) * ${this.derivative(a)}`;
  }

  /** The activation of the pre-activation expression `sum`. */
  activate(sum: string): string {
    return activationSource(this.activation, sum);
  }

  /** d activation / d pre-activation, in terms of the activation's output `a`. */
  private derivative(a: string): string {
    return derivativeSource(this.activation, a);
  }
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** JS source of `activation` applied to the pre-activation expression `sum`. */
export function activationSource(activation: Activation, sum: string): string {
  switch (activation) {
    case 'linear':
      return sum;
    case 'sigmoid':
      return `1 / (1 + Math.exp(-(${sum})))`;
    case 'tanh':
      return `Math.tanh(${sum})`;
    case 'relu':
      return `Math.max(0, ${sum})`;
  }
}

/** JS source of d activation / d pre-activation, in terms of the activation's output `a`. */
export function derivativeSource(activation: Activation, a: string): string {
  switch (activation) {
    case 'linear':
      return '1';
    case 'sigmoid':
      return `(${a} * (1 - ${a}))`;
    case 'tanh':
      return `(1 - ${a} * ${a})`;
    case 'relu':
      return `(${a} > 0 ? 1 : 0)`;
  }
}
