import type { NetworkShape, Rng } from '@srnn/core';
import type { WindowOptions } from './window-options';

/**
 * Where the weights of a window network lie in its flat vector: the hidden layer's matrix
 * [width × k] row by row (row h holds unit h's k input weights), then the output weights [width].
 * No biases: the all-zero network stays a fixpoint, as for the paper's default networks.
 */
export class WindowLayout {
  readonly k: number;
  readonly width: number;
  /** Offset of the output weights. */
  readonly outputOffset: number;
  readonly weightCount: number;

  constructor(radius: number, width: number) {
    this.k = 2 * radius + 1;
    this.width = width;
    this.outputOffset = width * this.k;
    this.weightCount = this.outputOffset + width;
  }
}

/**
 * A network that rewrites another weight by weight, like weightwise (PAPER.md §1), but reads no
 * position: weight i of the target becomes f(w[i − r], …, w[i], …, w[i + r]), indices taken
 * modulo W, so the target's flattened weights are a ring and f acts on it like the rule of a 1-D
 * cellular automaton. Every weight is one sample. With a linear hidden layer f(x) = v·x with
 * v = W₂W₁ ∈ Rᵏ; a network is a non-trivial fixpoint e.g. when v is the window's centre unit
 * vector (it copies every weight): hidden row 0 = e_r, output weight 0 = 1, all else 0. Its
 * kernels come from the KernelProvider of (window, backend): js only (window-kernel-provider.ts).
 */
export class WindowNetwork implements NetworkShape {
  readonly type = 'window';
  readonly layout: WindowLayout;
  readonly weightCount: number;
  /** `default`: U(±1/√fan_in) per layer (PyTorch's); `glorot-uniform`: U(±√(6/(fan_in + fan_out))) (Keras'). */
  readonly initSchemes = ['default', 'glorot-uniform'] as const;

  constructor(readonly options: WindowOptions) {
    this.layout = new WindowLayout(options.radius, options.width);
    this.weightCount = this.layout.weightCount;
  }

  initialize(scheme: string, out: Float32Array, rng: Rng): void {
    const { k, width, outputOffset, weightCount } = this.layout;
    const bound = (fanIn: number, fanOut: number) => (scheme === 'glorot-uniform' ? Math.sqrt(6 / (fanIn + fanOut)) : 1 / Math.sqrt(fanIn));
    const hidden = bound(k, width);
    const output = bound(width, 1);
    for (let i = 0; i < weightCount; i++) out[i] = i < outputOffset ? rng.uniform(-hidden, hidden) : rng.uniform(-output, output);
  }
}
