import type { NetworkKernels, TrainOptions, WeightBatch } from '@srnn/core';
import { contiguous, gatherRows, scatterRows, type Rows } from './batch-rows';
import { SimdLanes, type Numerics, type Storage } from './simd-lanes';
import type { WeightwiseWat } from './weightwise-wat';

interface WeightwiseExports {
  readonly memory: WebAssembly.Memory;
  apply(n: number, F: number, I: number, O: number, flags: number): number;
  train(n: number, P: number, D: number, O: number, L: number, flags: number, lr: number): number;
  trainMomentum(n: number, P: number, D: number, O: number, L: number, flags: number, lr: number, momentum: number, M: number, MO: number): number;
  /** Batch-1 epochs, each lane's row order at ORDER (int32 [n × W]), the positions table at Q; hasM: 1 when M holds momentum buffers, else they start at 0 and MO is not written. */
  trainSingle(n: number, P: number, D: number, O: number, L: number, lr: number, momentum: number, M: number, MO: number, hasM: number, ORDER: number, Q: number): void;
  /** The same with I = F or D = P (self-application, self-training): the values are the weights. */
  applySelf: WeightwiseExports['apply'];
  trainSelf: WeightwiseExports['train'];
  trainMomentumSelf: WeightwiseExports['trainMomentum'];
}

/** One compiled module for a storage type, with its memory and a bump allocator for a call's rows. */
class Engine {
  /** A view of the whole memory, renewed when it grows (reading `memory.buffer` per call costs). */
  rows: Rows;
  /** The same memory as int32 (batch-1 row orders). */
  ints: Int32Array;
  /** Byte address of the rows' positions [W × 3], stored as weights are (kept across calls). */
  readonly positions: number;
  private top = 0;
  private base = 0;
  private capacity: number;

  constructor(
    readonly lanes: SimdLanes,
    readonly wasm: WeightwiseExports,
    positions: Float32Array,
  ) {
    this.capacity = wasm.memory.buffer.byteLength;
    this.rows = this.makeView();
    this.ints = new Int32Array(wasm.memory.buffer);
    const start = this.allocate(positions.length * lanes.bytes) * lanes.rowLength;
    this.rows.set(positions, start);
    this.positions = start * lanes.bytes;
    this.base = this.top;
  }

  /** Frees every region but the positions (a call allocates all it needs first). */
  reset(): void {
    this.top = this.base;
  }

  /** A region of `bytes` starting at a multiple of the row size, so that its rows are rows of `rows`; returns the row number it starts at. */
  allocate(bytes: number): number {
    const rowBytes = this.lanes.rowLength * this.lanes.bytes;
    const start = Math.ceil(this.top / rowBytes) * rowBytes;
    // slack: a block's last tile is loaded whole
    this.top = start + bytes + 16;
    if (this.top > this.capacity) {
      this.wasm.memory.grow(Math.ceil((this.top - this.capacity) / 65536));
      this.capacity = this.wasm.memory.buffer.byteLength;
      this.rows = this.makeView();
      this.ints = new Int32Array(this.wasm.memory.buffer);
    }
    return start / rowBytes;
  }

  private makeView(): Rows {
    const buffer = this.wasm.memory.buffer;
    return this.lanes.storage === 'f64' ? new Float64Array(buffer) : new Float32Array(buffer);
  }
}

/**
 * Weightwise kernels in WebAssembly SIMD, vectorised across networks: a call copies its rows into
 * the module's memory (one copy when the batch is a run of rows), runs the generated code on
 * blocks of `lanes` networks and copies the results back. Networks with a non-finite weight or
 * input in full-batch training and application are the js kernels' (`js`), which the f64x2 code
 * equals bit for bit everywhere else. Batch-1 epochs run in WebAssembly too, each lane in its own
 * order, the orders drawn from the rng network by network as the js kernels draw them.
 */
export class WeightwiseWasmKernels implements NetworkKernels {
  readonly samplesPerNetwork: number;
  private readonly engines = new Map<Storage, Engine>();
  private readonly one = new Float64Array(1);
  /** Bytes of a row in the current call's engine. */
  private rowBytes = 0;

  constructor(
    private readonly numerics: Numerics,
    private readonly W: number,
    private readonly source: (lanes: SimdLanes) => WeightwiseWat,
    private readonly compile: (wat: string) => WebAssembly.Module,
    private readonly js: NetworkKernels,
  ) {
    this.samplesPerNetwork = W;
  }

  /** The WebAssembly text of the kernels for one storage type (for tests and the curious). */
  text(storage: Storage): string {
    return this.source(new SimdLanes(this.numerics, storage, this.W)).module();
  }

  apply(fn: WeightBatch, input: WeightBatch, out: WeightBatch): void {
    const n = fn.index.length;
    if (n === 0) return;
    const engine = this.engine(fn.data, input.data, out.data, out.data);
    const padded = this.begin(engine, n);
    const self = input.data === fn.data && input.index === fn.index;
    const run = contiguous(fn.index, n);
    const F = this.gather(engine, fn, n, padded, run);
    const I = self ? F : this.gather(engine, input, n, padded);
    const O = engine.allocate(padded * this.rowBytes);
    const flags = this.flagBytes(engine, padded);
    const rowBytes = this.rowBytes;
    const bad = engine.wasm[self ? 'applySelf' : 'apply'](padded, F * rowBytes, I * rowBytes, O * rowBytes, flags);
    this.scatter(engine, O, out, n, out.index === fn.index ? run : contiguous(out.index, n));
    if (bad === 0) return;
    const rows = engine.rows as Float32Array;
    for (const k of this.flagged(engine, flags, n)) {
      this.js.apply({ data: rows, index: Int32Array.of(F + k) }, { data: rows, index: Int32Array.of(I + k) }, { data: rows, index: Int32Array.of(O + k) });
      this.copyRow(rows, O + k, out.data, out.index[k]);
    }
  }

  train(params: WeightBatch, data: WeightBatch, options: TrainOptions, loss?: Float32Array): void {
    const buffer = options.momentumBuffer;
    if (options.momentum !== 0 && !buffer) throw new Error('training with momentum needs a momentum buffer');
    const momentum = options.momentum !== 0 ? buffer : undefined;
    if (options.batch === 1) return this.trainSingle(params, data, options, momentum, loss);
    const call = this.trainCall(params, data, momentum, loss);
    if (!call) return;
    const { engine, n, padded, self, P, D, M, O, MO, L } = call;
    const rowBytes = this.rowBytes;
    const flags = this.flagBytes(engine, padded);
    const wasm = engine.wasm;
    const bad = momentum
      ? wasm[self ? 'trainMomentumSelf' : 'trainMomentum'](padded, P * rowBytes, D * rowBytes, O * rowBytes, L * rowBytes, flags, options.lr, options.momentum, M * rowBytes, MO * rowBytes)
      : wasm[self ? 'trainSelf' : 'train'](padded, P * rowBytes, D * rowBytes, O * rowBytes, L * rowBytes, flags, options.lr);
    this.trainResults(call, params, momentum, loss);
    if (bad === 0) return;
    const rows = engine.rows as Float32Array;
    const one = this.one as unknown as Float32Array;
    for (const k of this.flagged(engine, flags, n)) {
      const row = (start: number) => ({ data: rows, index: Int32Array.of(start + k) });
      this.js.train(row(P), row(D), { lr: options.lr, momentum: options.momentum, batch: 'full', ...(momentum ? { momentumBuffer: row(M) } : {}) }, one);
      this.copyRow(rows, P + k, params.data, params.index[k]);
      if (momentum) this.copyRow(rows, M + k, momentum.data, momentum.index[k]);
      if (loss) loss[k] = one[0];
    }
  }

  dispose(): void {}

  /** One epoch of single-row steps per network, in orders drawn before the call in network order (the js kernels' draws: same orders, same rng state after). */
  private trainSingle(params: WeightBatch, data: WeightBatch, options: TrainOptions, momentum: WeightBatch | undefined, loss?: Float32Array): void {
    const rng = options.rng;
    if (!rng) throw new Error('batch 1 training needs an rng for the sample order');
    const call = this.trainCall(params, data, momentum, loss);
    if (!call) return;
    const { engine, n, padded, P, D, M, O, MO, L } = call;
    const W = this.W;
    const rowBytes = this.rowBytes;
    const ORDER = engine.allocate(padded * W * 4) * rowBytes;
    const orders = engine.ints;
    const at = ORDER / 4;
    for (let k = 0; k < padded; k++) {
      for (let r = 0; r < W; r++) orders[at + k * W + r] = r;
      if (k < n) rng.shuffle(orders, at + k * W, W);
    }
    engine.wasm.trainSingle(padded, P * rowBytes, D * rowBytes, O * rowBytes, L * rowBytes, options.lr, options.momentum, M * rowBytes, MO * rowBytes, momentum ? 1 : 0, ORDER, engine.positions);
    this.trainResults(call, params, momentum, loss);
  }

  /** A training call's rows in the module's memory (weights P, data D, momentum M) and room for its results (O, MO, losses L), in rows; undefined for an empty batch. */
  private trainCall(params: WeightBatch, data: WeightBatch, momentum: WeightBatch | undefined, loss: Float32Array | undefined) {
    const n = params.index.length;
    if (n === 0) return undefined;
    const engine = this.engine(params.data, data.data, momentum ? momentum.data : params.data, loss ?? params.data);
    const padded = this.begin(engine, n);
    const self = data.data === params.data && data.index === params.index;
    const rowBytes = this.rowBytes;
    const run = contiguous(params.index, n);
    const P = this.gather(engine, params, n, padded, run);
    const D = self ? P : this.gather(engine, data, n, padded);
    const M = momentum ? this.gather(engine, momentum, n, padded) : 0;
    const O = engine.allocate(padded * rowBytes);
    const MO = momentum ? engine.allocate(padded * rowBytes) : 0;
    const L = engine.allocate(padded * engine.lanes.bytes);
    return { engine, n, padded, self, run, P, D, M, O, MO, L };
  }

  /** The trained weights (and momentum) back into the batch's rows, the losses into `loss`. */
  private trainResults(
    { engine, n, run, O, MO, L }: NonNullable<ReturnType<WeightwiseWasmKernels['trainCall']>>,
    params: WeightBatch,
    momentum: WeightBatch | undefined,
    loss: Float32Array | undefined,
  ): void {
    this.scatter(engine, O, params, n, run);
    if (momentum) this.scatter(engine, MO, momentum, n);
    const lossAt = L * this.W;
    if (loss) loss.set(engine.rows.subarray(lossAt, lossAt + n));
  }

  /** float64 kernels read and write other arrays (Float64Array) exactly, in float64 memory. */
  private engine(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, d: ArrayLike<number>): Engine {
    const f32 = a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array && d instanceof Float32Array;
    const storage: Storage = this.numerics === 'f64' && !f32 ? 'f64' : 'f32';
    let engine = this.engines.get(storage);
    if (!engine) {
      const lanes = new SimdLanes(this.numerics, storage, this.W);
      const source = this.source(lanes);
      const instance = new WebAssembly.Instance(this.compile(source.module()), {});
      engine = new Engine(lanes, instance.exports as unknown as WeightwiseExports, source.positions);
      this.engines.set(storage, engine);
    }
    this.rowBytes = this.W * engine.lanes.bytes;
    return engine;
  }

  /** Starts a call's allocations; returns n rounded up to whole blocks. */
  private begin(engine: Engine, n: number): number {
    engine.reset();
    const lanes = engine.lanes.lanes;
    return Math.ceil(n / lanes) * lanes;
  }

  /** A byte per block (the flagged lanes); returns its address. */
  private flagBytes(engine: Engine, padded: number): number {
    return engine.allocate(padded / engine.lanes.lanes) * this.rowBytes;
  }

  /** Rows index[k] of the batch into a new region's rows start + k, the padding rows zero; returns start. */
  private gather(engine: Engine, batch: WeightBatch, n: number, padded: number, run = contiguous(batch.index, n)): number {
    const start = engine.allocate(padded * this.rowBytes);
    gatherRows(engine.rows, start, this.W, batch, n, padded, run);
    return start;
  }

  private scatter(engine: Engine, start: number, batch: WeightBatch, n: number, run = contiguous(batch.index, n)): void {
    scatterRows(engine.rows, start, this.W, batch, n, run);
  }

  private copyRow(rows: Rows, row: number, data: Float32Array, index: number): void {
    const W = this.W;
    for (let r = 0; r < W; r++) data[index * W + r] = rows[row * W + r];
  }

  /** The networks k < n whose block flagged their lane. */
  private flagged(engine: Engine, flags: number, n: number): number[] {
    const lanes = engine.lanes.lanes;
    const bytes = new Uint8Array(engine.wasm.memory.buffer, flags, Math.ceil(n / lanes));
    const found: number[] = [];
    for (let k = 0; k < n; k++) if (bytes[Math.floor(k / lanes)] & (1 << (k % lanes))) found.push(k);
    return found;
  }
}
