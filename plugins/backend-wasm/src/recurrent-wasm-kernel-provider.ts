import { inject, injectable, optional } from 'inversify';
import type { KernelProvider, NetworkKernels } from '@srnn/core';
import { recurrentJsKernelProvider, type RecurrentNetwork } from '@srnn/recurrent';
import { ReducedMlpWasmEngine } from './reduced-mlp-wasm-kernels';
import { RecurrentWasmKernels } from './recurrent-wasm-kernels';
import { RecurrentWat } from './recurrent-wat';
import { SimdLanes, type Storage } from './simd-lanes';
import { hasWasmSimd, type WasmBackend, type WasmF32Backend, WasmSimdProbe } from './wasm-backend';

/**
 * Up to how many weights (= steps) the WebAssembly kernels run (time looped beyond 20 weights, see
 * `recurrentWatCode`): measured at W 209 (width 8) 3.1× js for self-training, 2.0× for
 * self-application; beyond, the js kernels keep their weights in arrays too (`recurrentCode`).
 */
export const RECURRENT_WASM_MAX_WEIGHTS = 256;

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
        const wat = new RecurrentWat(layout, activation, new SimdLanes(numerics, storage, W));
        found = new ReducedMlpWasmEngine(backend.compile(wat.module()), W, storage, wat.scratchBytes);
        engines.set(`${key} ${storage}`, found);
      }
      return found;
    };
    return new RecurrentWasmKernels(engine, js, numerics === 'f64' ? 2 : 4);
  }
}

/**
 * Recurrent kernels of the `wasm` backend (f64x2, bit-identical to js), where a scenario names
 * `backend: wasm`: about 2× js, not the default (see the wasm-f32 provider).
 */
@injectable()
export class RecurrentWasmKernelProvider extends RecurrentWasmProvider<WasmBackend> {
  readonly backend = 'wasm';

  constructor(@inject(WasmSimdProbe) @optional() hasSimd: WasmSimdProbe = hasWasmSimd) {
    super(hasSimd);
  }
}

/**
 * Recurrent kernels of the `wasm-f32` backend (f32x4: float32 arithmetic, four networks a block):
 * the default engine of the networks they cover where WebAssembly SIMD runs, as for weightwise —
 * f64x2 lanes stay at about 2× js (the js code already runs at its scalar floor), four float32
 * lanes reach 3–4×, and float32 is what the authors' Keras RNNs computed in.
 */
@injectable()
export class RecurrentWasmF32KernelProvider extends RecurrentWasmProvider<WasmF32Backend> {
  readonly backend = 'wasm-f32';

  constructor(@inject(WasmSimdProbe) @optional() hasSimd: WasmSimdProbe = hasWasmSimd) {
    super(hasSimd);
  }

  defaultRank(network: RecurrentNetwork): number {
    return recurrentWasmCovers(network) && this.hasSimd() ? 1 : 0;
  }
}
