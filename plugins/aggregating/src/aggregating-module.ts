import { ContainerModule } from 'inversify';
import { Architecture } from '@srnn/core';
import { AggregatingArchitecture } from './aggregating-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(AggregatingArchitecture).inSingletonScope();
});
