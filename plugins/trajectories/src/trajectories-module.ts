import { ContainerModule } from 'inversify';
import { Figure, OutputSink } from '@srnn/core';
import { TrajectoriesFigure } from './trajectories-figure';
import { TrajectoriesSink } from './trajectories-sink';

export default new ContainerModule(({ bind }) => {
  bind(OutputSink).toConstantValue(new TrajectoriesSink());
  bind(Figure).to(TrajectoriesFigure).inSingletonScope();
});
