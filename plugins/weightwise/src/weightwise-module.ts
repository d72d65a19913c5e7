import { ContainerModule } from 'inversify';
import { Architecture } from '@srnn/core';
import { WeightwiseArchitecture } from './weightwise-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(WeightwiseArchitecture).inSingletonScope();
});
