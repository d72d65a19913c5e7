import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';
import type { WindowOptions } from './window-options';
import type { WindowLayout } from './window-network';

/**
 * Plain TypeScript kernels of a window network, in float64 between float32 weight rows. Every
 * row a kernel reads is copied to scratch before it writes anything, so an output row may alias
 * its own entry's inputs (self-application writes N ◁ N over N; self-training trains N on N).
 */
export class WindowJsKernels implements NetworkKernels {
  readonly samplesPerNetwork: number;
  private readonly W: number;
  /** A copy of the row being read (the target's weights, which are also the targets). */
  private readonly target: Float64Array;
  /** A copy of the network whose function is applied or trained. */
  private readonly net: Float64Array;
  private readonly hidden: Float64Array;
  private readonly gradient: Float64Array;
  private order = new Int32Array(0);

  constructor(
    private readonly layout: WindowLayout,
    private readonly activation: WindowOptions['activation'],
  ) {
    this.W = layout.weightCount;
    this.samplesPerNetwork = layout.weightCount;
    this.target = new Float64Array(this.W);
    this.net = new Float64Array(this.W);
    this.hidden = new Float64Array(layout.width);
    this.gradient = new Float64Array(this.W);
  }

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const { W, net, target } = this;
    for (let b = 0; b < fn.index.length; b++) {
      copyRow(fn, b, W, net);
      copyRow(input, b, W, target);
      const o = out.index[b] * W;
      for (let i = 0; i < W; i++) out.data[o + i] = this.forward(net, target, i);
    }
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const { W, net, target, gradient } = this;
    const { lr, momentum, momentumBuffer } = options;
    if (momentum !== 0 && !momentumBuffer) throw new Error('training with momentum needs a momentum buffer');
    if (options.batch === 1 && !options.rng) throw new Error('batch 1 training needs an rng for the sample order');
    for (let b = 0; b < params.index.length; b++) {
      copyRow(data, b, W, target); // inputs and targets, fixed before any update
      copyRow(params, b, W, net);
      const p = params.index[b] * W;
      const m = momentumBuffer ? momentumBuffer.index[b] * W : -1;
      const step = () => {
        for (let j = 0; j < W; j++) {
          let g = gradient[j];
          if (momentum !== 0) {
            g = momentumBuffer!.data[m + j] = momentum * momentumBuffer!.data[m + j] + g;
          }
          net[j] -= lr * g;
        }
      };
      let sum = 0;
      if (options.batch === 'full') {
        gradient.fill(0);
        for (let i = 0; i < W; i++) sum += this.accumulate(net, target, i, 1 / W);
        step();
      } else {
        // One epoch: one step per sample in a fresh random order; the loss is the mean of each
        // sample's loss before its own step.
        for (const i of this.shuffled(options)) {
          gradient.fill(0);
          sum += this.accumulate(net, target, i, 1);
          step();
        }
      }
      for (let j = 0; j < W; j++) params.data[p + j] = net[j];
      if (loss) loss[b] = sum / W;
    }
  }

  dispose(): void {}

  /** f(window of `weights` around i) with the network `net`. */
  private forward(net: Float64Array, weights: Float64Array, i: number): number {
    const { k, width, outputOffset } = this.layout;
    const r = (k - 1) / 2;
    let y = 0;
    for (let h = 0; h < width; h++) {
      let a = 0;
      for (let j = 0; j < k; j++) a += net[h * k + j] * weights[wrap(i - r + j, this.W)];
      const z = this.activation === 'tanh' ? Math.tanh(a) : a;
      this.hidden[h] = z;
      y += net[outputOffset + h] * z;
    }
    return y;
  }

  /** Adds `scale` × the gradient of sample i's squared error to `gradient`; returns that error. */
  private accumulate(net: Float64Array, weights: Float64Array, i: number, scale: number): number {
    const { k, width, outputOffset } = this.layout;
    const r = (k - 1) / 2;
    const e = this.forward(net, weights, i) - weights[i];
    const dy = 2 * e * scale;
    for (let h = 0; h < width; h++) {
      const z = this.hidden[h];
      this.gradient[outputOffset + h] += dy * z;
      const da = dy * net[outputOffset + h] * (this.activation === 'tanh' ? 1 - z * z : 1);
      for (let j = 0; j < k; j++) this.gradient[h * k + j] += da * weights[wrap(i - r + j, this.W)];
    }
    return e * e;
  }

  private shuffled(options: TrainOptions): Int32Array {
    if (this.order.length !== this.W) this.order = new Int32Array(this.W);
    for (let i = 0; i < this.W; i++) this.order[i] = i;
    return options.rng!.shuffle(this.order);
  }
}

function copyRow(batch: WeightBatch, b: number, W: number, out: Float64Array): void {
  const offset = batch.index[b] * W;
  for (let j = 0; j < W; j++) out[j] = batch.data[offset + j];
}

function wrap(i: number, n: number): number {
  return ((i % n) + n) % n;
}
