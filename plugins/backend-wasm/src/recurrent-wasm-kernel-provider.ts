import { inject, injectable, optional } from 'inversify';
import type { KernelProvider, NetworkKernels } from '@srnn/core';
import { recurrentJsKernelProvider, type RecurrentNetwork } from '@srnn/recurrent';
import { ReducedMlpWasmEngine } from './reduced-mlp-wasm-kernels';
import { RecurrentWasmKernels } from './recurrent-wasm-kernels';
import { RecurrentWat } from './recurrent-wat';
import { SimdLanes, type Storage } from './simd-lanes';
import { hasWasmSimd, type WasmBackend, type WasmF32Backend, WasmSimdProbe } from './wasm-backend';

/**
 * Up to how many weights (= steps) the time-unrolled WebAssembly code is generated: it grows with
 * W² terms like the js code it mirrors, and beyond this it is no faster than the js kernels.
 * Measured (linear, P = 1000, net-steps/s wasm ÷ js, alternating, busy 2-core machine): W 17 train
 * 1.8–2.0×, apply 1.2–1.7×; W 25: 1.35×, 1.65×; W 34: 1.7×, 1.7×; W 41: 1.3×, 0.9×; W 57: 0.6×,
 * 0.8×. Running two or four blocks interleaved (to overlap the recurrence's dependency chains) was
 * slower at W 17 (0.7–1.2×): the code is throughput bound, as the js code is.
 */
export const RECURRENT_WASM_MAX_WEIGHTS = 36;

/** Whether the WebAssembly kernels cover a recurrent network: linear or relu (no vector exp/tanh), at most RECURRENT_WASM_MAX_WEIGHTS weights. */
export function recurrentWasmCovers(network: RecurrentNetwork): boolean {
  const { activation } = network.options;
  return (activation === 'linear' || activation === 'relu') && network.weightCount <= RECURRENT_WASM_MAX_WEIGHTS;
}

/** The engines per numerics, shape and storage, shared by every run in the process (assembling and compiling cost more than a small run). */
const engines = new Map<string, ReducedMlpWasmEngine>();

/** Recurrent kernels of a wasm backend for the networks they cover (recurrentWasmCovers) where WebAssembly SIMD runs; js kernels for any other. */
abstract class RecurrentWasmProvider<B extends WasmBackend | WasmF32Backend> implements KernelProvider<RecurrentNetwork, B> {
  readonly architecture = 'recurrent';
  abstract readonly backend: string;

  constructor(protected readonly hasSimd: WasmSimdProbe) {}

  abstract defaultRank(network: RecurrentNetwork): number;

  create(network: RecurrentNetwork, backend: B): NetworkKernels {
    const js = recurrentJsKernelProvider.create(network, backend);
    if (!backend.available || !recurrentWasmCovers(network)) return js;
    const { layout, weightCount: W } = network;
    const { activation } = network.options;
    const numerics = backend.numerics;
    const key = JSON.stringify([numerics, layout.units, layout.bias, layout.layout, activation]);
    const engine = (storage: Storage) => {
      // float32 lanes store float32: other arrays take the js kernels
      if (numerics === 'f32' && storage === 'f64') return null;
      let found = engines.get(`${key} ${storage}`);
      if (!found) {
        const module = new RecurrentWat(layout, activation, new SimdLanes(numerics, storage, W)).module();
        found = new ReducedMlpWasmEngine(backend.compile(module), W, storage);
        engines.set(`${key} ${storage}`, found);
      }
      return found;
    };
    return new RecurrentWasmKernels(engine, js, numerics === 'f64' ? 2 : 4);
  }
}

/**
 * Recurrent kernels of the `wasm` backend (f64x2, bit-identical to js): the default engine of the
 * networks they cover where WebAssembly SIMD runs.
 */
@injectable()
export class RecurrentWasmKernelProvider extends RecurrentWasmProvider<WasmBackend> {
  readonly backend = 'wasm';

  constructor(@inject(WasmSimdProbe) @optional() hasSimd: WasmSimdProbe = hasWasmSimd) {
    super(hasSimd);
  }

  defaultRank(network: RecurrentNetwork): number {
    return recurrentWasmCovers(network) && this.hasSimd() ? 1 : 0;
  }
}

/**
 * Recurrent kernels of the `wasm-f32` backend (f32x4: float32 arithmetic, four networks a block)
 * for the same networks, where a scenario names `backend: wasm-f32`; never the default (its
 * numbers are not the js backend's).
 */
@injectable()
export class RecurrentWasmF32KernelProvider extends RecurrentWasmProvider<WasmF32Backend> {
  readonly backend = 'wasm-f32';

  constructor(@inject(WasmSimdProbe) @optional() hasSimd: WasmSimdProbe = hasWasmSimd) {
    super(hasSimd);
  }

  defaultRank(): number {
    return 0;
  }
}
