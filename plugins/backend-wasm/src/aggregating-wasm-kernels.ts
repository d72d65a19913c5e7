import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';

interface AggregatingExports {
  readonly memory: WebAssembly.Memory;
  apply(n: number, F: number, I: number, O: number): void;
  applySelf: AggregatingExports['apply'];
  train(n: number, P: number, D: number, M: number, L: number, lr: number, momentum: number): void;
  trainSelf: AggregatingExports['train'];
  trainMomentum: AggregatingExports['train'];
  trainMomentumSelf: AggregatingExports['train'];
}

const LANES = 2;

/** One instance of a compiled module (shared by every kernels object of its shape: calls hold no state between them) and a bump allocator of whole rows. */
export class AggregatingWasmEngine {
  private readonly wasm: AggregatingExports;
  /** A view of the whole memory, renewed when it grows. */
  rows: Float32Array;
  private top = 0;

  constructor(
    module: WebAssembly.Module,
    readonly W: number,
  ) {
    this.wasm = new WebAssembly.Instance(module, {}).exports as unknown as AggregatingExports;
    this.rows = new Float32Array(this.wasm.memory.buffer);
  }

  get exports(): AggregatingExports {
    return this.wasm;
  }

  reset(): void {
    this.top = 0;
  }

  /** `count` rows of W float32; returns the row number of the first. */
  allocate(count: number): number {
    const start = this.top;
    this.top += count;
    const bytes = this.top * this.W * 4;
    const capacity = this.wasm.memory.buffer.byteLength;
    if (bytes > capacity) {
      this.wasm.memory.grow(Math.ceil((bytes - capacity) / 65536));
      this.rows = new Float32Array(this.wasm.memory.buffer);
    }
    return start;
  }
}

const contiguous = (index: Int32Array, n: number): boolean => {
  const first = index[0];
  for (let k = 1; k < n; k++) if (index[k] !== first + k) return false;
  return true;
};

const float32 = (...arrays: (ArrayLike<number> | undefined)[]): boolean => arrays.every((a) => a === undefined || a instanceof Float32Array);

/**
 * Aggregating kernels in WebAssembly SIMD (f64x2), vectorised across networks: a call copies its
 * rows into the module's memory (one copy when the batch is a run of rows), runs the generated code
 * (`AggregatingWat`) on blocks of two networks and copies the results back — the js kernels' bits.
 * Arrays other than Float32Array (which the js kernels read and write exactly in float64) are the
 * js kernels' (`js`).
 */
export class AggregatingWasmKernels implements NetworkKernels {
  readonly samplesPerNetwork = 1;

  constructor(
    private readonly engine: AggregatingWasmEngine,
    private readonly js: NetworkKernels,
  ) {}

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const n = fn.index.length;
    if (n === 0) return;
    if (!float32(fn.data, input.data, out.data)) return this.js.apply(fn, input, out);
    const engine = this.engine;
    const W = engine.W;
    engine.reset();
    const padded = n + (n % LANES);
    const self = input.data === fn.data && input.index === fn.index;
    const F = this.gather(fn, n, padded);
    const I = self ? F : this.gather(input, n, padded);
    const O = engine.allocate(padded);
    const bytes = W * 4;
    engine.exports[self ? 'applySelf' : 'apply'](padded, F * bytes, I * bytes, O * bytes);
    this.scatter(O, out, n);
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const buffer = options.momentum !== 0 ? options.momentumBuffer : undefined;
    if (options.momentum !== 0 && !buffer) throw new Error('training with momentum needs a momentum buffer');
    const n = params.index.length;
    if (n === 0) return;
    if (!float32(params.data, data.data, buffer?.data, loss)) return this.js.train(params, data, options, loss);
    // One sample per network: a full batch and a batch-1 epoch are the same single step (as the js kernels).
    const engine = this.engine;
    const W = engine.W;
    engine.reset();
    const padded = n + (n % LANES);
    const self = data.data === params.data && data.index === params.index;
    const P = this.gather(params, n, padded);
    const D = self ? P : this.gather(data, n, padded);
    const M = buffer ? this.gather(buffer, n, padded) : 0;
    // the losses: float32 each, in rows of W
    const L = engine.allocate(Math.ceil(padded / W));
    const bytes = W * 4;
    const kernel = buffer ? (self ? 'trainMomentumSelf' : 'trainMomentum') : self ? 'trainSelf' : 'train';
    engine.exports[kernel](padded, P * bytes, D * bytes, M * bytes, L * bytes, options.lr, options.momentum);
    this.scatter(P, params, n);
    if (buffer) this.scatter(M, buffer, n);
    if (loss) loss.set(engine.rows.subarray(L * W, L * W + n));
  }

  dispose(): void {}

  /** Rows index[k] of the batch into new rows start + k, the padding rows zero; returns start. */
  private gather(batch: WeightBatch, n: number, padded: number): number {
    const engine = this.engine;
    const W = engine.W;
    const start = engine.allocate(padded);
    const rows = engine.rows;
    const to = start * W;
    const { data, index } = batch;
    if (contiguous(index, n)) rows.set(data.subarray(index[0] * W, (index[0] + n) * W), to);
    else {
      for (let k = 0; k < n; k++) {
        const from = index[k] * W;
        const at = to + k * W;
        for (let r = 0; r < W; r++) rows[at + r] = data[from + r];
      }
    }
    if (padded > n) rows.fill(0, to + n * W, to + padded * W);
    return start;
  }

  private scatter(start: number, batch: WeightBatch, n: number): void {
    const W = this.engine.W;
    const rows = this.engine.rows;
    const from = start * W;
    const { data, index } = batch;
    if (contiguous(index, n)) data.set(rows.subarray(from, from + n * W), index[0] * W);
    else {
      for (let k = 0; k < n; k++) {
        const to = index[k] * W;
        const at = from + k * W;
        for (let r = 0; r < W; r++) data[to + r] = rows[at + r];
      }
    }
  }
}
