import { ContainerModule } from 'inversify';
import { Experiment } from '@srnn/core';
import { MixedExperiment } from './mixed-experiment';

export default new ContainerModule(({ bind }) => {
  bind(Experiment).to(MixedExperiment).inSingletonScope();
});
