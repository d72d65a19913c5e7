import { ContainerModule } from 'inversify';
import { Experiment, Figure, OutputSink } from '@srnn/core';
import { TablesSink } from '@srnn/analysis';
import { ClonesExperiment, CLONES_TABLES } from './clones-experiment';
import { ClonesDistancesFigure, ClonesLossFigure, ClonesMovementFigure } from './clones-figures';

export default new ContainerModule(({ bind }) => {
  bind(Experiment).to(ClonesExperiment).inSingletonScope();
  bind(OutputSink).toConstantValue(new TablesSink('clones-tables', CLONES_TABLES));
  bind(Figure).to(ClonesMovementFigure).inSingletonScope();
  bind(Figure).to(ClonesDistancesFigure).inSingletonScope();
  bind(Figure).to(ClonesLossFigure).inSingletonScope();
});
