import { ContainerModule } from 'inversify';
import { Architecture, KernelProvider, ReducedMlpJsKernelProvider } from '@srnn/core';
import { AggregatingArchitecture } from './aggregating-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(AggregatingArchitecture).inSingletonScope();
  bind(KernelProvider).toConstantValue(new ReducedMlpJsKernelProvider('aggregating'));
});
