import type { Backend, NetworkKernels, NetworkShape, Rng } from '@srnn/core';
import { MLP_INIT_SCHEMES, type Activation, type MatrixLayout } from '@srnn/mlp';
import { isTfjsBackend } from '@srnn/backend-tfjs';
import { RecurrentJsKernels } from './recurrent-js-kernels';
import { RecurrentLayout } from './recurrent-layout';
import { RecurrentTfjsKernels } from './recurrent-tfjs-kernels';

/**
 * Generated js kernels per shape, shared by every run in the thread: compiling and optimising them
 * costs more than a small run of a sweep. They hold no state between calls (their scratch is
 * rewritten by every call).
 */
const jsKernelCache = new Map<string, RecurrentJsKernels>();

export interface RecurrentOptions {
  readonly width: number;
  readonly depth: number;
  readonly activation: Activation;
  readonly bias: boolean;
  readonly layout: MatrixLayout;
}

/**
 * A stack of simple RNNs (units width × depth, then 1; feature size 1) that reads a network's
 * flattened weights as a sequence, one scalar per step, and writes its output sequence back as the
 * new weights (PAPER.md §1). Self-training is sequence to sequence: input and target are the
 * network's own weights, loss the MSE over the W outputs, gradient by backpropagation through time.
 */
export class RecurrentNetwork implements NetworkShape {
  readonly type = 'recurrent';
  readonly layout: RecurrentLayout;
  readonly weightCount: number;
  /** The MLP schemes, and Keras' SimpleRNN init (Glorot-uniform kernels, orthogonal recurrent kernels). */
  readonly initSchemes = [...MLP_INIT_SCHEMES, 'orthogonal'] as const;

  constructor(readonly options: RecurrentOptions) {
    this.layout = RecurrentLayout.of(options.width, options.depth, options.bias, options.layout);
    this.weightCount = this.layout.weightCount;
  }

  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    this.layout.initialize(scheme, out, rng);
  }

  private jsKernels(): RecurrentJsKernels {
    const { width, depth, activation, bias, layout } = this.options;
    const key = JSON.stringify([width, depth, activation, bias, layout]);
    let kernels = jsKernelCache.get(key);
    if (!kernels) {
      kernels = new RecurrentJsKernels(this.layout, activation);
      jsKernelCache.set(key, kernels);
    }
    return kernels;
  }

  createKernels(backend: Backend): NetworkKernels {
    if (backend.name === 'js') return this.jsKernels();
    if (isTfjsBackend(backend)) return new RecurrentTfjsKernels(backend, this.layout, this.options.activation);
    throw new Error(`recurrent has no kernels for backend "${backend.name}"`);
  }
}
