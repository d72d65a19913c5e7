import { ContainerModule } from 'inversify';
import { Architecture, KernelProvider } from '@srnn/core';
import { RecurrentArchitecture } from './recurrent-architecture';
import { recurrentJsKernelProvider } from './recurrent-kernel-provider';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(RecurrentArchitecture).inSingletonScope();
  bind(KernelProvider).toConstantValue(recurrentJsKernelProvider);
});
