import { inject, injectable, injectFromBase, optional } from 'inversify';
import type { Backend } from '@srnn/core';
import type { Numerics } from './simd-lanes';

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;

/** The smallest module using a v128 instruction: WebAssembly SIMD is there when it validates. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** Whether this JavaScript engine runs WebAssembly SIMD (128-bit). */
export function hasWasmSimd(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

/**
 * What the wasm backends and kernel providers ask whether WebAssembly SIMD runs (default:
 * hasWasmSimd); binding it to another `() => boolean` stands in for an engine without it (tests).
 */
export const WasmSimdProbe = Symbol('WasmSimdProbe');
export type WasmSimdProbe = () => boolean;

/**
 * A WebAssembly SIMD backend: kernels generated per network shape as WebAssembly text, assembled
 * by wabt (from npm) when a run starts. `wasm` computes in f64x2 lanes, bit-identical to the js
 * backend; `wasm-f32` in f32x4 lanes (float32 arithmetic, twice the lanes). Where WebAssembly SIMD
 * is missing, both run the js kernels (`describe()` says so).
 */
abstract class WasmSimdBackend implements Backend {
  abstract readonly name: string;
  abstract readonly numerics: Numerics;
  private wabt: Wabt | null = null;
  private simd = false;
  private started: Promise<void> | undefined;

  constructor(@inject(WasmSimdProbe) @optional() private readonly hasSimd: WasmSimdProbe = hasWasmSimd) {}

  init(): Promise<void> {
    return (this.started ??= this.start());
  }

  describe(): string {
    if (!this.simd) return 'js kernels (this engine has no WebAssembly SIMD)';
    return this.numerics === 'f64' ? 'WebAssembly SIMD f64x2 (bit-identical to js)' : 'WebAssembly SIMD f32x4 (float32 arithmetic)';
  }

  /** Whether kernels run in WebAssembly (false: the js fallback); valid after init. */
  get available(): boolean {
    return this.simd && this.wabt !== null;
  }

  /** Assembles and compiles WebAssembly text (after init, when available). */
  compile(wat: string): WebAssembly.Module {
    if (!this.wabt) throw new Error(`backend ${this.name} is not initialised`);
    const parsed = this.wabt.parseWat('kernels.wat', wat, { simd: true });
    try {
      parsed.validate();
      return new WebAssembly.Module(parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
  }

  private async start(): Promise<void> {
    this.simd = this.hasSimd();
    if (!this.simd) return;
    const { default: load } = await import('wabt');
    this.wabt = await load();
  }
}

@injectable()
@injectFromBase()
export class WasmBackend extends WasmSimdBackend {
  readonly name = 'wasm';
  readonly numerics = 'f64';
}

@injectable()
@injectFromBase()
export class WasmF32Backend extends WasmSimdBackend {
  readonly name = 'wasm-f32';
  readonly numerics = 'f32';
}
