import { ContainerModule } from 'inversify';
import { Architecture, KernelProvider } from '@srnn/core';
import { WeightwiseArchitecture } from './weightwise-architecture';
import { weightwiseJsKernelProvider } from './weightwise-kernel-provider';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(WeightwiseArchitecture).inSingletonScope();
  bind(KernelProvider).toConstantValue(weightwiseJsKernelProvider);
});
