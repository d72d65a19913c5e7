import { inject, injectable, optional } from 'inversify';
import type { KernelProvider, NetworkKernels } from '@srnn/core';
import { WeightwiseJsKernels, type WeightwiseNetwork } from '@srnn/weightwise';
import { hasWasmSimd, WasmBackend, WasmF32Backend, WasmSimdProbe } from './wasm-backend';
import { WeightwiseWasmKernels } from './weightwise-wasm-kernels';
import { WeightwiseWat } from './weightwise-wat';

/** As the js kernels: up to this many weights their rows are unrolled (and folded), which the wasm code mirrors. */
const UNROLLED_WEIGHTS = 64;

/** Kernels per backend and shape, shared by every run in the process (compiling costs more than a small run). */
const cache = new Map<string, NetworkKernels>();

/** Whether the WebAssembly kernels cover the shape: linear or relu (no vector exp/tanh), rows unrolled. */
export function wasmCovers(network: WeightwiseNetwork): boolean {
  const { activation } = network.options;
  return (activation === 'linear' || activation === 'relu') && network.weightCount <= UNROLLED_WEIGHTS;
}

abstract class WeightwiseWasmProvider<B extends WasmBackend | WasmF32Backend> implements KernelProvider<WeightwiseNetwork, B> {
  readonly architecture = 'weightwise';
  abstract readonly backend: string;

  create(network: WeightwiseNetwork, backend: B): NetworkKernels {
    const { width, depth, activation, bias, layout } = network.options;
    // whether WebAssembly runs is part of the key: a backend without SIMD (or one not started) gets the js kernels, not another's wasm ones
    const key = JSON.stringify([backend.name, backend.available, width, depth, activation, bias, layout]);
    let kernels = cache.get(key);
    if (!kernels) {
      const js = new WeightwiseJsKernels(network.layout, activation, network.positions);
      kernels =
        backend.available && wasmCovers(network)
          ? new WeightwiseWasmKernels(
              backend.numerics,
              network.weightCount,
              (lanes) => new WeightwiseWat(network.layout, activation, network.positions, lanes),
              (wat) => backend.compile(wat),
              js,
            )
          : js;
      cache.set(key, kernels);
    }
    return kernels;
  }
}

/** Weightwise kernels of the `wasm` backend (f64x2, bit-identical to js). */
@injectable()
export class WeightwiseWasmKernelProvider extends WeightwiseWasmProvider<WasmBackend> {
  readonly backend = 'wasm';
}

/**
 * Weightwise kernels of the `wasm-f32` backend (f32x4): the default engine of the shapes they
 * cover where WebAssembly SIMD runs (≈ 0.5× the C floor for self-training, 10× js). For any other
 * shape a scenario without `backend` runs js, so that what its results name is what computed;
 * `backend: wasm-f32` named there runs the js kernels (as documented in the README).
 */
@injectable()
export class WeightwiseWasmF32KernelProvider extends WeightwiseWasmProvider<WasmF32Backend> {
  readonly backend = 'wasm-f32';

  constructor(@inject(WasmSimdProbe) @optional() private readonly hasSimd: WasmSimdProbe = hasWasmSimd) {
    super();
  }

  defaultRank(network: WeightwiseNetwork): number {
    return wasmCovers(network) && this.hasSimd() ? 1 : 0;
  }
}
