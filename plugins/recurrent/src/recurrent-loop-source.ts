import type { RecurrentLayout } from './recurrent-layout';
import { storeLoss, type RecurrentSource } from './recurrent-js-source';

/**
 * The kernel bodies of `RecurrentJsKernels` with time looped, as `RecurrentSource` emits them —
 * the same operations in the same order, in float64 — but with weights, gradients, momentum and
 * each layer's units in Float64Arrays and loops over the units, so that the code stays small at
 * any size (one local per weight overflows the stack of large networks).
 *
 * The code names the arrays of `scratch()`: `w`, `g`, `m` (W each), `A` (every step's
 * activations, row t + 1 for step t; row 0 stays zero: h₋₁) and per layer l `state{l}` (its
 * activations at the step before), `act{l}` (at this step), `delta{l}` (dLoss/d pre-activation)
 * and `carry{l}` (dLoss/dh carried back through the recurrent kernel).
 */
export class RecurrentLoopSource {
  constructor(
    private readonly source: RecurrentSource,
    private readonly layout: RecurrentLayout = source.layout,
  ) {}

  /** The arrays the code names; `A` ((W + 1) × units, zero) is given, so that other code can share it. */
  scratch(A: Float64Array): Record<string, Float64Array> {
    const W = this.layout.weightCount;
    const arrays: Record<string, Float64Array> = { w: new Float64Array(W), g: new Float64Array(W), m: new Float64Array(W), A };
    this.layout.layers.forEach((layer, l) => {
      for (const name of ['state', 'act', 'delta', 'carry']) arrays[`${name}${l}`] = new Float64Array(layer.units);
    });
    return arrays;
  }

  /** Reads F[fo …] (the weights) and I[io …] (the sequence) into O[oo …]. */
  apply(): string {
    const L = this.layout.layers.length - 1;
    return [
      this.load('w', 'F', 'fo'),
      this.layout.layers.map((_, l) => `state${l}.fill(0);`).join(' '),
      `for (let t = 0; t < ${this.layout.weightCount}; t++) {`,
      'const x = I[io + t];',
      this.forwardStep(),
      `O[oo + t] = act${L}[0];`,
      '}',
    ].join('\n');
  }

  /** One full-batch SGD step on P[po …] (momentum buffer M[mo …]) reproducing D[d0 …]; the loss before it goes to L[b] (`storeLoss`). */
  train(withMomentum: boolean): string {
    const { weightCount: T, unitCount: U, layers } = this.layout;
    const L = layers.length - 1;
    const toA = layers.map((layer, l) => `for (let o = 0; o < ${layer.units}; o++) A[base + ${layer.unitOffset} + o] = act${l}[o];`).join('\n');
    return [
      this.load('w', 'P', 'po'),
      withMomentum ? this.load('m', 'M', 'mo') : '',
      layers.map((_, l) => `state${l}.fill(0);`).join(' '),
      'let loss = 0;',
      `for (let t = 0; t < ${T}; t++) {`,
      'const x = D[d0 + t];',
      this.forwardStep(),
      `const base = (t + 1) * ${U};`,
      toA,
      `const e = act${L}[0] - x;`,
      'loss += e * e;',
      '}',
      'g.fill(0);',
      layers.map((_, l) => `carry${l}.fill(0);`).join(' '),
      `for (let t = ${T - 1}; t >= 0; t--) {`,
      'const x = D[d0 + t];',
      `const base = (t + 1) * ${U};`,
      `const before = t * ${U};`,
      this.backwardStep(`${2 / T} * (A[base + ${layers[L].unitOffset}] - x)`),
      '}',
      `for (let k = 0; k < ${T}; k++) { ${withMomentum ? 'm[k] = momentum * m[k] + g[k]; w[k] -= lr * m[k];' : 'w[k] -= lr * g[k];'} }`,
      this.store('w', 'P', 'po'),
      withMomentum ? this.store('m', 'M', 'mo') : '',
      storeLoss(`loss / ${T}`),
    ].join('\n');
  }

  /** `act{l}` ← the step's activations from input `x` and `state{l}`, layer by layer; then state ← act. */
  private forwardStep(): string {
    const lines: string[] = [];
    this.layout.layers.forEach((layer, l) => {
      const input = (i: string) => (l === 0 ? 'x' : `act${l - 1}[${i}]`);
      lines.push(
        `for (let o = 0; o < ${layer.units}; o++) {`,
        `let s = w[${this.kernelIndex(l, 'o', '0')}] * ${input('0')};`,
        layer.inputs > 1 ? `for (let i = 1; i < ${layer.inputs}; i++) s += w[${this.kernelIndex(l, 'o', 'i')}] * ${input('i')};` : '',
        `for (let i = 0; i < ${layer.units}; i++) s += w[${this.recurrentIndex(l, 'o', 'i')}] * state${l}[i];`,
        layer.biasOffset >= 0 ? `s += w[${layer.biasOffset} + o];` : '',
        `act${l}[o] = ${this.source.activate('s')};`,
        '}',
      );
    });
    lines.push(this.layout.layers.map((layer, l) => `for (let o = 0; o < ${layer.units}; o++) state${l}[o] = act${l}[o];`).join('\n'));
    return lines.join('\n');
  }

  /** Backpropagation through step t (activations in rows `base` and `before` of A), as RecurrentSource.backwardStep. */
  private backwardStep(outputGradient: string): string {
    const lines: string[] = [];
    const layers = this.layout.layers;
    const now = (l: number, o: string) => `A[base + ${layers[l].unitOffset} + ${o}]`;
    const previous = (l: number, i: string) => `A[before + ${layers[l].unitOffset} + ${i}]`;
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const above = layers[l + 1];
      lines.push(
        `for (let o = 0; o < ${layer.units}; o++) {`,
        above ? `let s = carry${l}[o];\nfor (let u = 0; u < ${above.units}; u++) s += w[${this.kernelIndex(l + 1, 'u', 'o')}] * delta${l + 1}[u];` : `const s = ${outputGradient} + carry${l}[o];`,
        `delta${l}[o] = ${this.source.timesDerivative('s', now(l, 'o'))};`,
        '}',
        `for (let o = 0; o < ${layer.units}; o++) {`,
        `const dl = delta${l}[o];`,
        `for (let i = 0; i < ${layer.inputs}; i++) g[${this.kernelIndex(l, 'o', 'i')}] += dl * ${l === 0 ? 'x' : now(l - 1, 'i')};`,
        `for (let i = 0; i < ${layer.units}; i++) g[${this.recurrentIndex(l, 'o', 'i')}] += dl * ${previous(l, 'i')};`,
        layer.biasOffset >= 0 ? `g[${layer.biasOffset} + o] += dl;` : '',
        '}',
        `for (let i = 0; i < ${layer.units}; i++) {`,
        `let s = w[${this.recurrentIndex(l, '0', 'i')}] * delta${l}[0];`,
        `for (let o = 1; o < ${layer.units}; o++) s += w[${this.recurrentIndex(l, 'o', 'i')}] * delta${l}[o];`,
        `carry${l}[i] = s;`,
        '}',
      );
    }
    return lines.join('\n');
  }

  private load(name: string, array: string, offset: string): string {
    return `for (let k = 0; k < ${this.layout.weightCount}; k++) ${name}[k] = ${array}[${offset} + k];`;
  }

  private store(name: string, array: string, offset: string): string {
    return `for (let k = 0; k < ${this.layout.weightCount}; k++) ${array}[${offset} + k] = ${name}[k];`;
  }

  /** As RecurrentLayout.kernelIndex, for index expressions. */
  private kernelIndex(l: number, o: string, i: string): string {
    const layer = this.layout.layers[l];
    return this.layout.layout === 'out-in' ? `${layer.kernelOffset} + ${o} * ${layer.inputs} + ${i}` : `${layer.kernelOffset} + ${i} * ${layer.units} + ${o}`;
  }

  /** As RecurrentLayout.recurrentIndex, for index expressions. */
  private recurrentIndex(l: number, o: string, i: string): string {
    const layer = this.layout.layers[l];
    return this.layout.layout === 'out-in' ? `${layer.recurrentOffset} + ${o} * ${layer.units} + ${i}` : `${layer.recurrentOffset} + ${i} * ${layer.units} + ${o}`;
  }
}
