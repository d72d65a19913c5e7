import { ContainerModule } from 'inversify';
import { Experiment } from '@srnn/core';
import { DensityExperiment } from './density-experiment';

export default new ContainerModule(({ bind }) => {
  bind(Experiment).to(DensityExperiment).inSingletonScope();
});
