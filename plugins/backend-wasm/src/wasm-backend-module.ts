import { ContainerModule } from 'inversify';
import { Backend, KernelProvider } from '@srnn/core';
import { AggregatingWasmKernelProvider, FftWasmKernelProvider } from './reduced-mlp-wasm-kernel-provider';
import { RecurrentWasmF32KernelProvider, RecurrentWasmKernelProvider } from './recurrent-wasm-kernel-provider';
import { WasmBackend, WasmF32Backend } from './wasm-backend';
import { WeightwiseWasmF32KernelProvider, WeightwiseWasmKernelProvider } from './weightwise-wasm-kernel-provider';

export default new ContainerModule(({ bind }) => {
  bind(Backend).to(WasmBackend).inSingletonScope();
  bind(Backend).to(WasmF32Backend).inSingletonScope();
  bind(KernelProvider).to(WeightwiseWasmKernelProvider).inSingletonScope();
  bind(KernelProvider).to(WeightwiseWasmF32KernelProvider).inSingletonScope();
  bind(KernelProvider).to(AggregatingWasmKernelProvider).inSingletonScope();
  bind(KernelProvider).to(FftWasmKernelProvider).inSingletonScope();
  bind(KernelProvider).to(RecurrentWasmKernelProvider).inSingletonScope();
  bind(KernelProvider).to(RecurrentWasmF32KernelProvider).inSingletonScope();
});
