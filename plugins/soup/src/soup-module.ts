import { ContainerModule } from 'inversify';
import { Experiment, Figure, OutputSink } from '@srnn/core';
import { TablesSink } from '@srnn/analysis';
import { SnapshotSink } from './snapshot-sink';
import { SOUP_CLONES_TABLES } from './soup-clones';
import { SoupClonesFigure } from './soup-clones-figure';
import { SoupExperiment } from './soup-experiment';
import { SoupTrajectoriesFigure } from './soup-trajectories-figure';

export default new ContainerModule(({ bind }) => {
  // transient: the options schema follows the interactions registered when the registry is built
  bind(Experiment).to(SoupExperiment);
  bind(OutputSink).to(SnapshotSink);
  bind(OutputSink).toConstantValue(new TablesSink('soup-clones-tables', SOUP_CLONES_TABLES));
  bind(Figure).to(SoupTrajectoriesFigure).inSingletonScope();
  bind(Figure).to(SoupClonesFigure).inSingletonScope();
});
