import { z } from 'zod';
import { formatCount, MAX_WEIGHT_COUNT, type Rng } from '@srnn/core';

export const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** 'out-in': each matrix out × in row-major (PyTorch, 2022); 'in-out': each kernel in × out (Keras, 2019). */
export const MATRIX_LAYOUTS = ['out-in', 'in-out'] as const;
export type MatrixLayout = (typeof MATRIX_LAYOUTS)[number];

export const MLP_INIT_SCHEMES = ['default', 'glorot-uniform'] as const;

/** Option keys every MLP-based architecture shares (PAPER.md §1). */
export const mlpOptionsShape = {
  width: z.number().int().positive().default(2).describe('units per hidden layer'),
  depth: z.number().int().min(0).default(2).describe('number of hidden layers'),
  activation: z.enum(ACTIVATIONS).default('linear'),
  bias: z.boolean().default(false),
  layout: z.enum(MATRIX_LAYOUTS).default('out-in').describe('storage order of each weight matrix'),
};

export interface MlpLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** Offset of the layer's matrix in the flat weight vector. */
  readonly weightOffset: number;
  /** Offset of the layer's bias vector (right after the matrix), or -1 without bias. */
  readonly biasOffset: number;
}

/** Where each weight of a multilayer perceptron lives in the flat weight vector. */
export class MlpLayout {
  readonly layers: readonly MlpLayer[];
  readonly weightCount: number;

  constructor(
    readonly sizes: readonly number[],
    readonly bias: boolean,
    readonly layout: MatrixLayout,
  ) {
    let offset = 0;
    this.layers = sizes.slice(1).map((outputs, l) => {
      const inputs = sizes[l];
      const layer = { inputs, outputs, weightOffset: offset, biasOffset: bias ? offset + inputs * outputs : -1 };
      offset += inputs * outputs + (bias ? outputs : 0);
      return layer;
    });
    this.weightCount = offset;
  }

  /**
   * Sizes [inputs, width × depth, outputs]. Throws, before allocating anything, when the weights
   * would be more than MAX_WEIGHT_COUNT (a depth or width of billions is a scenario mistake).
   */
  static of(inputs: number, width: number, depth: number, outputs: number, bias: boolean, layout: MatrixLayout): MlpLayout {
    const b = bias ? 1 : 0;
    const count = depth === 0 ? (inputs + b) * outputs : (inputs + b) * width + (depth - 1) * (width + b) * width + (width + b) * outputs;
    if (!(count <= MAX_WEIGHT_COUNT)) {
      throw new Error(`width ${width}, depth ${depth}: ${formatCount(count)} weights, more than srnn's limit of ${formatCount(MAX_WEIGHT_COUNT)} (2^24) per network`);
    }
    return new MlpLayout([inputs, ...Array<number>(depth).fill(width), outputs], bias, layout);
  }

  /** Flat index of the weight from input `i` to output `o` of layer `l`. */
  weightIndex(l: number, o: number, i: number): number {
    const layer = this.layers[l];
    return this.layout === 'out-in' ? layer.weightOffset + o * layer.inputs + i : layer.weightOffset + i * layer.outputs + o;
  }

  /**
   * Random weights: 'default' is PyTorch's nn.Linear (weights and biases U(±1/√fan_in)), 'glorot-uniform'
   * is Keras' (weights U(±√(6/(fan_in+fan_out))), zero biases). Draws follow the flat order.
   */
  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    for (const layer of this.layers) {
      const bound = scheme === 'glorot-uniform' ? Math.sqrt(6 / (layer.inputs + layer.outputs)) : 1 / Math.sqrt(layer.inputs);
      const n = layer.inputs * layer.outputs;
      for (let k = 0; k < n; k++) out[layer.weightOffset + k] = rng.uniform(-bound, bound);
      if (layer.biasOffset < 0) continue;
      for (let o = 0; o < layer.outputs; o++) {
        out[layer.biasOffset + o] = scheme === 'glorot-uniform' ? 0 : rng.uniform(-bound, bound);
      }
    }
  }
}
