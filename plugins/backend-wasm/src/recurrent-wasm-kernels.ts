import { ReducedMlpWasmKernels } from './reduced-mlp-wasm-kernels';

/**
 * Recurrent kernels in WebAssembly SIMD, vectorised across networks: the rows of a batch are
 * gathered into the module's memory, the generated code (`RecurrentWat`) runs on blocks of two
 * networks (f64x2: the js kernels' bits) or four (f32x4, float32 rows only; other arrays take the js
 * kernels) and the results are scattered back. The calls are those of the
 * reduced-MLP engine (same exports, one sample per network), only the module differs.
 */
export class RecurrentWasmKernels extends ReducedMlpWasmKernels {}
