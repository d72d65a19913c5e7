import { ContainerModule } from 'inversify';
import { Experiment } from '@srnn/core';
import { SelfApplicationExperiment } from './self-application-experiment';

export default new ContainerModule(({ bind }) => {
  bind(Experiment).to(SelfApplicationExperiment).inSingletonScope();
});
