import { ContainerModule } from 'inversify';
import { Experiment, Figure, OutputSink } from '@srnn/core';
import { TablesSink } from '@srnn/analysis';
import { InterpolationExperiment, INTERPOLATION_TABLES } from './interpolation-experiment';
import { InterpolationFigure } from './interpolation-figure';

export default new ContainerModule(({ bind }) => {
  bind(Experiment).to(InterpolationExperiment).inSingletonScope();
  bind(OutputSink).toConstantValue(new TablesSink('interpolation-tables', INTERPOLATION_TABLES));
  bind(Figure).to(InterpolationFigure).inSingletonScope();
});
