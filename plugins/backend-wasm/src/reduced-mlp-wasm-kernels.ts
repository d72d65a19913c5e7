import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';
import { gatherRows, scatterRows, type Rows } from './batch-rows';
import type { Storage } from './simd-lanes';

interface ReducedMlpExports {
  readonly memory: WebAssembly.Memory;
  apply(n: number, F: number, I: number, O: number): void;
  applySelf: ReducedMlpExports['apply'];
  train(n: number, P: number, D: number, M: number, L: number, lr: number, momentum: number): void;
  trainSelf: ReducedMlpExports['train'];
  trainMomentum: ReducedMlpExports['train'];
  trainMomentumSelf: ReducedMlpExports['train'];
}

/** One instance of a compiled module (shared by every kernels object of its shape: calls hold no state between them) and a bump allocator of whole rows. */
export class ReducedMlpWasmEngine {
  private readonly wasm: ReducedMlpExports;
  /** A view of the whole memory, renewed when it grows. */
  rows: Rows;
  /** Bytes of one row. */
  readonly rowBytes: number;
  private top = 0;

  /** Rows at the start of memory that the module uses itself (its scratch), never allocated. */
  private readonly reserved: number;

  constructor(
    module: WebAssembly.Module,
    readonly W: number,
    readonly storage: Storage,
    /** Bytes at address 0 the module's code uses as scratch. */
    scratchBytes = 0,
  ) {
    this.wasm = new WebAssembly.Instance(module, {}).exports as unknown as ReducedMlpExports;
    this.rowBytes = W * (storage === 'f64' ? 8 : 4);
    this.rows = this.view();
    this.reserved = Math.ceil(scratchBytes / this.rowBytes);
    this.reset();
    this.allocate(0);
  }

  get exports(): ReducedMlpExports {
    return this.wasm;
  }

  reset(): void {
    this.top = this.reserved;
  }

  /** `count` rows of W stored values; returns the row number of the first. */
  allocate(count: number): number {
    const start = this.top;
    this.top += count;
    const bytes = this.top * this.rowBytes;
    const capacity = this.wasm.memory.buffer.byteLength;
    if (bytes > capacity) {
      this.wasm.memory.grow(Math.ceil((bytes - capacity) / 65536));
      this.rows = this.view();
    }
    return start;
  }

  private view(): Rows {
    return this.storage === 'f64' ? new Float64Array(this.wasm.memory.buffer) : new Float32Array(this.wasm.memory.buffer);
  }
}

const float32 = (...arrays: (ArrayLike<number> | undefined)[]): boolean => arrays.every((a) => a === undefined || a instanceof Float32Array);

/**
 * Reduced-MLP kernels (aggregating, fft) in WebAssembly SIMD (f64x2), vectorised across networks:
 * a call copies its rows into the module's memory (one copy when the batch is a run of rows), runs
 * the generated code (`ReducedMlpWat`) on blocks of two networks and copies the results back — the
 * js kernels' bits. Float32Arrays take float32 memory; any other array (e.g. a Float64Array, which
 * the js kernels read and write exactly in float64) the engine of float64 memory. Any module with
 * these exports runs so (the recurrent ones, `RecurrentWasmKernels`, in f32x4 lanes too).
 */
export class ReducedMlpWasmKernels implements NetworkKernels {
  readonly samplesPerNetwork = 1;

  constructor(
    /** The engine of float32 or float64 memory; null where the kernels have none (f32x4 of float64 arrays): the js kernels run. */
    private readonly engines: (storage: Storage) => ReducedMlpWasmEngine | null,
    private readonly js: NetworkKernels,
    /** Networks a block (the module's lanes). */
    private readonly lanes = 2,
  ) {}

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const n = fn.index.length;
    if (n === 0) return;
    const engine = this.engines(float32(fn.data, input.data, out.data) ? 'f32' : 'f64');
    if (!engine) return this.js.apply(fn, input, out);
    const bytes = engine.rowBytes;
    engine.reset();
    const padded = this.padded(n);
    const self = input.data === fn.data && input.index === fn.index;
    const F = this.gather(engine, fn, n, padded);
    const I = self ? F : this.gather(engine, input, n, padded);
    const O = engine.allocate(padded);
    engine.exports[self ? 'applySelf' : 'apply'](padded, F * bytes, I * bytes, O * bytes);
    this.scatter(engine, O, out, n);
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const buffer = options.momentum !== 0 ? options.momentumBuffer : undefined;
    if (options.momentum !== 0 && !buffer) throw new Error('training with momentum needs a momentum buffer');
    const n = params.index.length;
    if (n === 0) return;
    // One sample per network: a full batch and a batch-1 epoch are the same single step (as the js kernels).
    const engine = this.engines(float32(params.data, data.data, buffer?.data, loss) ? 'f32' : 'f64');
    if (!engine) return this.js.train(params, data, options, loss);
    const { W, rowBytes: bytes } = engine;
    engine.reset();
    const padded = this.padded(n);
    const self = data.data === params.data && data.index === params.index;
    const P = this.gather(engine, params, n, padded);
    const D = self ? P : this.gather(engine, data, n, padded);
    const M = buffer ? this.gather(engine, buffer, n, padded) : 0;
    // the losses: a stored value each, in rows of W
    const L = engine.allocate(Math.ceil(padded / W));
    const kernel = buffer ? (self ? 'trainMomentumSelf' : 'trainMomentum') : self ? 'trainSelf' : 'train';
    engine.exports[kernel](padded, P * bytes, D * bytes, M * bytes, L * bytes, options.lr, options.momentum);
    this.scatter(engine, P, params, n);
    if (buffer) this.scatter(engine, M, buffer, n);
    if (loss) loss.set(engine.rows.subarray(L * W, L * W + n));
  }

  dispose(): void {}

  /** n rounded up to whole blocks. */
  private padded(n: number): number {
    return Math.ceil(n / this.lanes) * this.lanes;
  }

  /** Rows index[k] of the batch into new rows start + k, the padding rows zero; returns start. */
  private gather(engine: ReducedMlpWasmEngine, batch: WeightBatch, n: number, padded: number): number {
    const start = engine.allocate(padded);
    gatherRows(engine.rows, start, engine.W, batch, n, padded);
    return start;
  }

  private scatter(engine: ReducedMlpWasmEngine, start: number, batch: WeightBatch, n: number): void {
    scatterRows(engine.rows, start, engine.W, batch, n);
  }
}
