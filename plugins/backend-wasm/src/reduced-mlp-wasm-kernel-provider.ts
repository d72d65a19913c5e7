import { inject, injectable, optional } from 'inversify';
import type { KernelProvider, NetworkKernels, Rng } from '@srnn/core';
import type { AggregatingNetwork } from '@srnn/aggregating';
import type { FftNetwork } from '@srnn/fft';
import { mlpKernelCode, ReducedMlpJsKernels, reductionStream, type ReducedMlpNetwork } from '@srnn/mlp';
import { ReducedMlpWasmEngine, ReducedMlpWasmKernels } from './reduced-mlp-wasm-kernels';
import { ReducedMlpWat, type WatReduction } from './reduced-mlp-wat';
import { SimdLanes, type Storage } from './simd-lanes';
import { hasWasmSimd, type WasmBackend, WasmSimdProbe } from './wasm-backend';
import { aggregatingWat, fftWat } from './wat-reductions';

/** The engines per shape and storage, shared by every run in the process (assembling and compiling cost more than a small run). */
const engines = new Map<string, ReducedMlpWasmEngine>();

/**
 * Whether the WebAssembly kernels cover a reduced MLP: linear or relu (no vector exp/tanh) and
 * the js kernels' fused straight-line code (`mlpKernelCode`: up to 256 weights), which the wasm
 * code mirrors.
 */
function mlpCovered(network: ReducedMlpNetwork): boolean {
  const { activation } = network.options;
  const code = mlpKernelCode(network.weightCount);
  return (activation === 'linear' || activation === 'relu') && code.apply === 'locals' && code.train === 'locals';
}

/** Aggregating networks the wasm kernels cover: see mlpCovered, and no shuffle (its permutation draws per network). */
export function aggregatingWasmCovers(network: AggregatingNetwork): boolean {
  return mlpCovered(network) && network.options.shuffle === 'none';
}

/** fft networks the wasm kernels cover: see mlpCovered. */
export function fftWasmCovers(network: FftNetwork): boolean {
  return mlpCovered(network);
}

/**
 * Reduced-MLP kernels of the `wasm` backend (f64x2, bit-identical to js): the default engine of
 * the networks they cover where WebAssembly SIMD runs (the results are the js backend's, faster);
 * any other network of the type runs the js kernels, on `wasm` too.
 */
abstract class ReducedMlpWasmProvider<N extends ReducedMlpNetwork> implements KernelProvider<N, WasmBackend> {
  abstract readonly architecture: string;
  readonly backend = 'wasm';

  constructor(private readonly hasSimd: WasmSimdProbe) {}

  protected abstract covers(network: N): boolean;
  /** The reduction in WebAssembly, and the key of the code it emits. */
  protected abstract wat(network: N): { reduction: WatReduction; key: string };

  create(network: N, backend: WasmBackend, rng?: Rng): NetworkKernels {
    const { layout, reduction } = network;
    const { activation } = network.options;
    const js = new ReducedMlpJsKernels(layout, activation, reduction, reductionStream(network, rng));
    if (!backend.available || !this.covers(network)) return js;
    const wat = this.wat(network);
    const key = JSON.stringify([this.architecture, layout.sizes, layout.bias, layout.layout, activation, wat.key]);
    const W = network.weightCount;
    const engine = (storage: Storage) => {
      let found = engines.get(`${key} ${storage}`);
      if (!found) {
        const module = new ReducedMlpWat(layout, activation, wat.reduction, new SimdLanes('f64', storage, W)).module();
        found = new ReducedMlpWasmEngine(backend.compile(module), W, storage);
        engines.set(`${key} ${storage}`, found);
      }
      return found;
    };
    return new ReducedMlpWasmKernels(engine, js);
  }

  defaultRank(network: N): number {
    return this.covers(network) && this.hasSimd() ? 1 : 0;
  }
}

/** Aggregating kernels of the `wasm` backend. */
@injectable()
export class AggregatingWasmKernelProvider extends ReducedMlpWasmProvider<AggregatingNetwork> {
  readonly architecture = 'aggregating';

  constructor(@inject(WasmSimdProbe) @optional() hasSimd: WasmSimdProbe = hasWasmSimd) {
    super(hasSimd);
  }

  protected covers(network: AggregatingNetwork): boolean {
    return aggregatingWasmCovers(network);
  }

  protected wat(network: AggregatingNetwork): { reduction: WatReduction; key: string } {
    const { aggregator, bounds } = network.reduction;
    return { reduction: aggregatingWat(network.reduction), key: `${aggregator} ${bounds.join(',')}` };
  }
}

/** fft kernels of the `wasm` backend. */
@injectable()
export class FftWasmKernelProvider extends ReducedMlpWasmProvider<FftNetwork> {
  readonly architecture = 'fft';

  constructor(@inject(WasmSimdProbe) @optional() hasSimd: WasmSimdProbe = hasWasmSimd) {
    super(hasSimd);
  }

  protected covers(network: FftNetwork): boolean {
    return fftWasmCovers(network);
  }

  protected wat(network: FftNetwork): { reduction: WatReduction; key: string } {
    return { reduction: fftWat(network.weightCount, network.reduction.size), key: `fft ${network.weightCount} ${network.reduction.size}` };
  }
}
