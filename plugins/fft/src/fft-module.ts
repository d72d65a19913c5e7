import { ContainerModule } from 'inversify';
import { Architecture } from '@srnn/core';
import { FftArchitecture } from './fft-architecture';

export default new ContainerModule(({ bind }) => {
  bind(Architecture).to(FftArchitecture).inSingletonScope();
});
