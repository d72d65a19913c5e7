import { MlpSource } from './js-mlp-source';
import type { Activation, MlpLayout } from './mlp-layout';

/** How a generated kernel holds the weights: one local variable each, or in Float64Arrays (MlpLoopSource). */
export type KernelCode = 'locals' | 'arrays';

/** Which code an MLP kernel (apply, train) of a network of `weightCount` weights uses. */
export interface MlpKernelCode {
  readonly apply: KernelCode;
  readonly train: KernelCode;
}

/**
 * Which kernels of an MLP keep the weights in arrays. Both codes compute the same, bit for bit, but
 * one local per weight is faster until the function grows too large for V8 to optimise it (the
 * training functions, which hold the backward pass too, earlier); beyond some 10⁵ weights its
 * frame overflows the stack. Measured (best of 6–8, one call per network; locals vs arrays):
 * weightwise depth 2 (one call = W rows), ms per network: W 266 (tanh): apply 0.13 vs 0.22, train
 * 0.22 vs 0.41; W 300: train 2.8 vs 0.53; W 1184 (linear): apply 2.4 vs 2.0, train 87 vs 7; W 2544:
 * apply 81 vs 8. Reduced MLP k → width × 2 → k (tanh, one sample), µs per network: W 288: train
 * 2.2 vs 3.1; W 308: train 38 vs 3.4; W 1536: apply 6.0 vs 7.0; W 2240: apply 75 vs 9.6.
 */
export function mlpKernelCode(weightCount: number): MlpKernelCode {
  return { apply: weightCount <= 1024 ? 'locals' : 'arrays', train: weightCount <= 256 ? 'locals' : 'arrays' };
}

/**
 * Emits JavaScript for the forward and backward passes `MlpSource` emits — the same operations in
 * the same order, in float64 — with weights, gradients, momentum and activations in Float64Arrays
 * and a loop over each layer's units, so that the code stays small at any size. `MlpSource`'s one
 * local per weight is faster for small networks, but V8 stops optimising it at some thousands of
 * weights and its frame overflows the stack at some 10⁵ ("Maximum call stack size exceeded").
 *
 * The code names the arrays of `scratch()`: `w`, `g`, `m` (weights, gradients, momentum; W each),
 * `a{l}` (the activations of layer l, `a0` the inputs) and `delta{l}` (dLoss/d pre-activation
 * of layer l ≥ 1). Weights sit in `w` between `load` and `store` as they would in locals.
 */
export class MlpLoopSource {
  private readonly expressions: MlpSource;

  constructor(
    readonly layout: MlpLayout,
    readonly activation: Activation,
  ) {
    this.expressions = new MlpSource(layout, activation);
  }

  /** Fresh arrays for the names the code uses, to bind when compiling it. */
  scratch(): Record<string, Float64Array> {
    const W = this.layout.weightCount;
    const arrays: Record<string, Float64Array> = { w: new Float64Array(W), g: new Float64Array(W), m: new Float64Array(W) };
    this.layout.sizes.forEach((size, l) => {
      arrays[`a${l}`] = new Float64Array(size);
      if (l > 0) arrays[`delta${l}`] = new Float64Array(size);
    });
    return arrays;
  }

  /** The name of the last layer's activations (the outputs). */
  get outputs(): string {
    return `a${this.layout.layers.length}`;
  }

  /** `name[k]` = array[offset + k] for every weight (0 when the array may be null and is). */
  load(name: string, array: string, offset: string, options: { zeroWhenNull?: boolean } = {}): string {
    const read = options.zeroWhenNull ? `${array} === null ? 0 : ${array}[${offset} + k]` : `${array}[${offset} + k]`;
    return `for (let k = 0; k < ${this.layout.weightCount}; k++) ${name}[k] = ${read};`;
  }

  store(name: string, array: string, offset: string): string {
    return `for (let k = 0; k < ${this.layout.weightCount}; k++) ${array}[${offset} + k] = ${name}[k];`;
  }

  /** Forward pass of the sample in `a0` into `a1 … aL`. */
  forward(): string {
    return this.layout.layers
      .map((layer, l) => {
        const weight = (o: string, i: string) => this.weightIndex(l, o, i);
        return [
          `for (let o = 0; o < ${layer.outputs}; o++) {`,
          `let s = w[${weight('o', '0')}] * a${l}[0];`,
          `for (let i = 1; i < ${layer.inputs}; i++) s += w[${weight('o', 'i')}] * a${l}[i];`,
          layer.biasOffset >= 0 ? `s += w[${layer.biasOffset} + o];` : '',
          `a${l + 1}[o] = ${this.expressions.activate('s')};`,
          '}',
        ].join('\n');
      })
      .join('\n');
  }

  /**
   * Backward pass of the sample whose forward pass is in `a0 … aL`, given dLoss/dOutput as an
   * expression of the output index `o`; adds each weight's gradient into `g`.
   */
  backward(outputGradient: string): string {
    const layers = this.layout.layers;
    const L = layers.length;
    const lines = [`for (let o = 0; o < ${layers[L - 1].outputs}; o++) delta${L}[o] = ${this.expressions.timesDerivative(outputGradient, `a${L}[o]`)};`];
    for (let l = L - 1; l >= 0; l--) {
      const layer = layers[l];
      const weight = (o: string, i: string) => this.weightIndex(l, o, i);
      lines.push(
        `for (let o = 0; o < ${layer.outputs}; o++) {`,
        `const u = delta${l + 1}[o];`,
        `for (let i = 0; i < ${layer.inputs}; i++) g[${weight('o', 'i')}] += u * a${l}[i];`,
        layer.biasOffset >= 0 ? `g[${layer.biasOffset} + o] += u;` : '',
        '}',
      );
      if (l === 0) break;
      lines.push(
        `for (let i = 0; i < ${layer.inputs}; i++) {`,
        `let s = w[${weight('0', 'i')}] * delta${l + 1}[0];`,
        `for (let o = 1; o < ${layer.outputs}; o++) s += w[${weight('o', 'i')}] * delta${l + 1}[o];`,
        `delta${l}[i] = ${this.expressions.timesDerivative('s', `a${l}[i]`)};`,
        '}',
      );
    }
    return lines.join('\n');
  }

  /** SGD with PyTorch-style momentum on w/g and the buffer m (when momentum is used). */
  update(withMomentum: boolean): string {
    const step = withMomentum ? 'm[k] = momentum * m[k] + g[k]; w[k] -= lr * m[k];' : 'w[k] -= lr * g[k];';
    return `for (let k = 0; k < ${this.layout.weightCount}; k++) { ${step} }`;
  }

  zeroGradients(): string {
    return 'g.fill(0);';
  }

  /** Index expression of the weight from input `i` to output `o` of layer `l` (as MlpLayout.weightIndex). */
  private weightIndex(l: number, o: string, i: string): string {
    const layer = this.layout.layers[l];
    return this.layout.layout === 'out-in' ? `${layer.weightOffset} + ${o} * ${layer.inputs} + ${i}` : `${layer.weightOffset} + ${i} * ${layer.outputs} + ${o}`;
  }
}

/** Compiles `function (params) { body }` with the named arrays (and other values) bound as closure variables. */
export function compileWith(bound: Record<string, unknown>, params: string, body: string): never {
  const names = Object.keys(bound);
  return new Function(...names, `"use strict"; return function (${params}) {\n${body}\n};`)(...names.map((name) => bound[name])) as never;
}
