import { ContainerModule } from 'inversify';
import { Architecture, KernelProvider } from '@srnn/core';
import { ReducedMlpJsKernelProvider } from '@srnn/mlp';
import { AggregatingArchitecture } from './aggregating-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(AggregatingArchitecture).inSingletonScope();
  bind(KernelProvider).toConstantValue(new ReducedMlpJsKernelProvider('aggregating'));
});
