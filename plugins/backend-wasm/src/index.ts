export * from './aggregating-wasm-kernel-provider';
export * from './aggregating-wasm-kernels';
export * from './aggregating-wat';
export * from './simd-lanes';
export * from './wasm-backend';
export * from './weightwise-wasm-kernel-provider';
export * from './weightwise-wasm-kernels';
export * from './weightwise-wat';
export { default as wasmBackendModule } from './wasm-backend-module';
