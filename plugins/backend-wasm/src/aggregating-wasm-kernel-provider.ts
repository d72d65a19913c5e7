import { inject, injectable, optional } from 'inversify';
import type { KernelProvider, NetworkKernels, Rng } from '@srnn/core';
import type { AggregatingNetwork } from '@srnn/aggregating';
import { mlpKernelCode, ReducedMlpJsKernels, reductionStream } from '@srnn/mlp';
import { AggregatingWasmEngine, AggregatingWasmKernels } from './aggregating-wasm-kernels';
import { AggregatingWat } from './aggregating-wat';
import { SimdLanes } from './simd-lanes';
import { hasWasmSimd, type WasmBackend, WasmSimdProbe } from './wasm-backend';

/** The engines per shape, shared by every run in the process (assembling and compiling cost more than a small run). */
const engines = new Map<string, AggregatingWasmEngine>();

/**
 * Whether the WebAssembly kernels cover the network: linear or relu (no vector exp/tanh), no
 * shuffle (its permutation draws per network), and the js kernels' fused straight-line code
 * (`mlpKernelCode`: up to 256 weights), which the wasm code mirrors.
 */
export function aggregatingWasmCovers(network: AggregatingNetwork): boolean {
  const { activation, shuffle } = network.options;
  const code = mlpKernelCode(network.weightCount);
  return (activation === 'linear' || activation === 'relu') && shuffle === 'none' && code.apply === 'locals' && code.train === 'locals';
}

/**
 * Aggregating kernels of the `wasm` backend (f64x2, bit-identical to js): the default engine of
 * the networks they cover where WebAssembly SIMD runs (the results are the js backend's, ≈ 2× as
 * fast); any other aggregating network runs the js kernels, on `wasm` too.
 */
@injectable()
export class AggregatingWasmKernelProvider implements KernelProvider<AggregatingNetwork, WasmBackend> {
  readonly architecture = 'aggregating';
  readonly backend = 'wasm';

  constructor(@inject(WasmSimdProbe) @optional() private readonly hasSimd: WasmSimdProbe = hasWasmSimd) {}

  create(network: AggregatingNetwork, backend: WasmBackend, rng?: Rng): NetworkKernels {
    const { layout, reduction } = network;
    const { activation } = network.options;
    const js = new ReducedMlpJsKernels(layout, activation, reduction, reductionStream(network, rng));
    if (!backend.available || !aggregatingWasmCovers(network)) return js;
    const key = JSON.stringify([layout.sizes, layout.bias, layout.layout, activation, reduction.aggregator, [...reduction.bounds]]);
    let engine = engines.get(key);
    if (!engine) {
      const wat = new AggregatingWat(layout, activation, reduction, new SimdLanes('f64', 'f32', network.weightCount));
      engine = new AggregatingWasmEngine(backend.compile(wat.module()), network.weightCount);
      engines.set(key, engine);
    }
    return new AggregatingWasmKernels(engine, js);
  }

  defaultRank(network: AggregatingNetwork): number {
    return aggregatingWasmCovers(network) && this.hasSimd() ? 1 : 0;
  }
}
