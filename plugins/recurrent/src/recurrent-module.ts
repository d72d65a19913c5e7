import { ContainerModule } from 'inversify';
import { Architecture } from '@srnn/core';
import { RecurrentArchitecture } from './recurrent-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(RecurrentArchitecture).inSingletonScope();
});
