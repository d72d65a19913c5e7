import { ContainerModule } from 'inversify';
import { Architecture, KernelProvider, ReducedMlpJsKernelProvider } from '@srnn/core';
import { FftArchitecture } from './fft-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(FftArchitecture).inSingletonScope();
  bind(KernelProvider).toConstantValue(new ReducedMlpJsKernelProvider('fft'));
});
