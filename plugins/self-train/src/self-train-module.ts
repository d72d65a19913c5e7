import { ContainerModule } from 'inversify';
import { Experiment } from '@srnn/core';
import { SelfTrainExperiment } from './self-train-experiment';

export default new ContainerModule(({ bind }) => {
  bind(Experiment).to(SelfTrainExperiment).inSingletonScope();
});
