import { ContainerModule } from 'inversify';
import { Architecture } from '@srnn/core';
import { WindowArchitecture } from './window-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(WindowArchitecture).inSingletonScope();
});
