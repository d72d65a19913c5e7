import { ContainerModule } from 'inversify';
import { Architecture, KernelProvider } from '@srnn/core';
import { WeightwiseArchitecture } from './weightwise-architecture';
import { WeightwiseJsKernelProvider } from './weightwise-kernel-provider';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(WeightwiseArchitecture).inSingletonScope();
  bind(KernelProvider).to(WeightwiseJsKernelProvider).inSingletonScope();
});
