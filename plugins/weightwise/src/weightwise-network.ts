import type { Backend, NetworkKernels, NetworkShape, Rng } from '@srnn/core';
import { MLP_INIT_SCHEMES, MlpLayout, type Activation, type MatrixLayout } from '@srnn/mlp';
import { isTfjsBackend } from '@srnn/backend-tfjs';
import { WeightwiseJsKernels } from './weightwise-js-kernels';
import { weightPositions } from './weightwise-positions';
import { WeightwiseTfjsKernels } from './weightwise-tfjs-kernels';

/**
 * Generated js kernels per shape, shared by every run in the process: compiling them costs more
 * than a small run of a sweep. They hold no state between calls.
 */
const jsKernelCache = new Map<string, WeightwiseJsKernels>();

export interface WeightwiseOptions {
  readonly width: number;
  readonly depth: number;
  readonly activation: Activation;
  readonly bias: boolean;
  readonly layout: MatrixLayout;
}

/** A weightwise MLP 4 → width × depth → 1 that rewrites a network one weight (row) at a time. */
export class WeightwiseNetwork implements NetworkShape {
  readonly type = 'weightwise';
  readonly layout: MlpLayout;
  readonly weightCount: number;
  readonly initSchemes = MLP_INIT_SCHEMES;
  /** [W × 3] float32 positions [layer, cell, pos] of every weight. */
  readonly positions: Float32Array;

  constructor(readonly options: WeightwiseOptions) {
    this.layout = MlpLayout.of(4, options.width, options.depth, 1, options.bias, options.layout);
    this.weightCount = this.layout.weightCount;
    this.positions = weightPositions(this.layout);
  }

  private jsKernels(): WeightwiseJsKernels {
    const { width, depth, activation, bias, layout } = this.options;
    const key = JSON.stringify([width, depth, activation, bias, layout]);
    let kernels = jsKernelCache.get(key);
    if (!kernels) {
      kernels = new WeightwiseJsKernels(this.layout, activation, this.positions);
      jsKernelCache.set(key, kernels);
    }
    return kernels;
  }

  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    this.layout.initialize(scheme, out, rng);
  }

  createKernels(backend: Backend): NetworkKernels {
    if (backend.name === 'js') return this.jsKernels();
    if (isTfjsBackend(backend)) return new WeightwiseTfjsKernels(backend, this.layout, this.options.activation, this.positions);
    throw new Error(`weightwise has no kernels for backend "${backend.name}"`);
  }
}
