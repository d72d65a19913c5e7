import { ContainerModule } from 'inversify';
import { Backend } from '@srnn/core';
import { TfjsBackend } from './tfjs-backend';

export default new ContainerModule(({ bind }) => {
  bind(TfjsBackend).toSelf().inSingletonScope();
  bind(Backend).toService(TfjsBackend);
});
