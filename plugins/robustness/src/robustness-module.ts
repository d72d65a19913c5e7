import { ContainerModule } from 'inversify';
import { Experiment, Figure, OutputSink } from '@srnn/core';
import { TablesSink } from '@srnn/analysis';
import { RobustnessExperiment, ROBUSTNESS_TABLES } from './robustness-experiment';
import { RobustnessFigure } from './robustness-figure';

export default new ContainerModule(({ bind }) => {
  bind(Experiment).to(RobustnessExperiment).inSingletonScope();
  bind(OutputSink).toConstantValue(new TablesSink('robustness-tables', ROBUSTNESS_TABLES));
  bind(Figure).to(RobustnessFigure).inSingletonScope();
});
