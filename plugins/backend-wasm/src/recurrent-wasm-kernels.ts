import { ReducedMlpWasmKernels } from './reduced-mlp-wasm-kernels';

/**
 * Recurrent kernels in WebAssembly SIMD (f64x2), vectorised across networks: the rows of a batch
 * are gathered into the module's memory, the generated code (`RecurrentWat`) runs on blocks of two
 * networks and the results are scattered back — the js kernels' bits. The calls are those of the
 * reduced-MLP engine (same exports, one sample per network), only the module differs.
 */
export class RecurrentWasmKernels extends ReducedMlpWasmKernels {}
