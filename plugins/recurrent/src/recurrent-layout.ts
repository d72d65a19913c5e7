import { formatCount, MAX_FLOATS, MAX_WEIGHT_COUNT, type Rng } from '@srnn/core';
import type { MatrixLayout } from '@srnn/mlp';
import { orthogonalMatrix } from './orthogonal';

/** One simple-RNN layer: h_t = act(K x_t + R h_{t-1} [+ b]), h_{-1} = 0. */
export interface RecurrentLayer {
  /** Size of each input vector x_t (1 for the first layer, else the previous layer's units). */
  readonly inputs: number;
  readonly units: number;
  /** Offset of the input kernel K (inputs × units weights) in the flat weight vector. */
  readonly kernelOffset: number;
  /** Offset of the recurrent kernel R (units × units), right after K. */
  readonly recurrentOffset: number;
  /** Offset of the bias vector (units), right after R, or -1 without bias. */
  readonly biasOffset: number;
  /** Offset of the layer's units among all units of the stack (for activation scratch). */
  readonly unitOffset: number;
}

/**
 * Where each weight of a stack of simple RNNs lives in the flat weight vector (PAPER.md §1).
 *
 * Layers in order, units `width` × `depth` then 1, feature size 1. Per layer: the input kernel K,
 * then the recurrent kernel R, then (with bias) one bias vector of `units` entries. Matrices are
 * stored row-major: in `out-in` (PyTorch `weight_ih` / `weight_hh`) K is units × inputs and R is
 * units × units with the row = receiving unit; in `in-out` (Keras `kernel` / `recurrent_kernel`)
 * K is inputs × units and R is units × units with the row = sending unit. PyTorch's two bias
 * vectors per layer (`bias_ih`, `bias_hh`) only ever act as their sum, so a layer has one.
 *
 * Defaults (width 2, depth 2, no bias): 1×2 + 2×2, 2×2 + 2×2, 2×1 + 1×1 = 17 weights.
 */
export class RecurrentLayout {
  readonly layers: readonly RecurrentLayer[];
  readonly weightCount: number;
  /** Units of all layers together. */
  readonly unitCount: number;

  constructor(
    readonly units: readonly number[],
    readonly bias: boolean,
    readonly layout: MatrixLayout,
  ) {
    if (units.length === 0 || units.some((u) => !Number.isInteger(u) || u < 1)) throw new Error(`bad RNN units ${JSON.stringify(units)}`);
    let offset = 0;
    let unitOffset = 0;
    this.layers = units.map((count, l) => {
      const inputs = l === 0 ? 1 : units[l - 1];
      const kernelOffset = offset;
      const recurrentOffset = kernelOffset + inputs * count;
      const biasOffset = bias ? recurrentOffset + count * count : -1;
      offset = recurrentOffset + count * count + (bias ? count : 0);
      const layer = { inputs, units: count, kernelOffset, recurrentOffset, biasOffset, unitOffset };
      unitOffset += count;
      return layer;
    });
    this.weightCount = offset;
    this.unitCount = unitOffset;
  }

  /**
   * Units [width × depth, 1]; throws, before allocating anything, when the weights would be more
   * than MAX_WEIGHT_COUNT, or when backpropagation through time would keep more than MAX_FLOATS
   * activations (every unit at every one of the W steps).
   */
  static of(width: number, depth: number, bias: boolean, layout: MatrixLayout): RecurrentLayout {
    const b = bias ? 1 : 0;
    const count = depth === 0 ? 2 + b : width + width * width + b * width + (depth - 1) * (2 * width * width + b * width) + width + 1 + b;
    if (!(count <= MAX_WEIGHT_COUNT)) {
      throw new Error(`width ${width}, depth ${depth}: ${formatCount(count)} weights, more than srnn's limit of ${formatCount(MAX_WEIGHT_COUNT)} (2^24) per network`);
    }
    const units = width * depth + 1;
    const activations = (count + 1) * units;
    if (!(activations <= MAX_FLOATS)) {
      throw new Error(
        `width ${width}, depth ${depth}: training through time keeps ${formatCount(units)} units × ${formatCount(count + 1)} steps = ${formatCount(activations)} activations, more than srnn's limit of ${formatCount(MAX_FLOATS)} (2^28)`,
      );
    }
    return new RecurrentLayout([...Array<number>(depth).fill(width), 1], bias, layout);
  }

  /** Flat index of the input-kernel weight from input `i` to unit `o` of layer `l`. */
  kernelIndex(l: number, o: number, i: number): number {
    const layer = this.layers[l];
    return this.layout === 'out-in' ? layer.kernelOffset + o * layer.inputs + i : layer.kernelOffset + i * layer.units + o;
  }

  /** Flat index of the recurrent weight from unit `i` at t−1 to unit `o` at t of layer `l`. */
  recurrentIndex(l: number, o: number, i: number): number {
    const layer = this.layers[l];
    return this.layout === 'out-in' ? layer.recurrentOffset + o * layer.units + i : layer.recurrentOffset + i * layer.units + o;
  }

  /**
   * Random weights. 'default' is PyTorch's nn.RNN: every kernel, recurrent and bias weight
   * U(±1/√units). 'glorot-uniform' draws K from U(±√(6/(inputs+units))) and R from
   * U(±√(6/(2·units))), biases 0. Both draw in flat order. 'orthogonal' is Keras' SimpleRNN (see
   * `initializeKeras`).
   */
  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    if (scheme === 'orthogonal') return this.initializeKeras(out, rng);
    const glorot = scheme === 'glorot-uniform';
    for (const layer of this.layers) {
      const u = layer.units;
      const fill = (offset: number, n: number, bound: number) => {
        for (let k = 0; k < n; k++) out[offset + k] = bound === 0 ? 0 : rng.uniform(-bound, bound);
      };
      const pytorch = 1 / Math.sqrt(u);
      fill(layer.kernelOffset, layer.inputs * u, glorot ? Math.sqrt(6 / (layer.inputs + u)) : pytorch);
      fill(layer.recurrentOffset, u * u, glorot ? Math.sqrt(6 / (2 * u)) : pytorch);
      if (layer.biasOffset >= 0) fill(layer.biasOffset, u, glorot ? 0 : pytorch);
    }
  }

  /**
   * Keras' SimpleRNN defaults: per layer K from Glorot-uniform U(±√(6/(inputs+units))), R an
   * orthogonal matrix (`orthogonalMatrix`), biases 0. Both are drawn in Keras' own order (K as
   * inputs × units, R as units × units, row = sender) and stored through kernelIndex /
   * recurrentIndex, so that both layouts get the same networks from the same stream.
   */
  private initializeKeras(out: Float32Array, rng: Rng): void {
    this.layers.forEach((layer, l) => {
      const bound = Math.sqrt(6 / (layer.inputs + layer.units));
      for (let i = 0; i < layer.inputs; i++) for (let o = 0; o < layer.units; o++) out[this.kernelIndex(l, o, i)] = rng.uniform(-bound, bound);
      const q = orthogonalMatrix(layer.units, rng);
      for (let i = 0; i < layer.units; i++) for (let o = 0; o < layer.units; o++) out[this.recurrentIndex(l, o, i)] = q[i * layer.units + o];
      if (layer.biasOffset >= 0) out.fill(0, layer.biasOffset, layer.biasOffset + layer.units);
    });
  }
}
