import { ContainerModule } from 'inversify';
import { Architecture, KernelProvider } from '@srnn/core';
import { ReducedMlpJsKernelProvider } from '@srnn/mlp';
import { FftArchitecture } from './fft-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(FftArchitecture).inSingletonScope();
  bind(KernelProvider).toConstantValue(new ReducedMlpJsKernelProvider('fft'));
});
