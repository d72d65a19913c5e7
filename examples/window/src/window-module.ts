import { ContainerModule } from 'inversify';
import { Architecture, KernelProvider } from '@srnn/core';
import { WindowArchitecture } from './window-architecture';
import { WindowJsKernelProvider } from './window-kernel-provider';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(WindowArchitecture).inSingletonScope();
  bind(KernelProvider).to(WindowJsKernelProvider).inSingletonScope(); // its kernels on the js backend
});
