import { ContainerModule } from 'inversify';
import { Experiment, OutputSink } from '@srnn/core';
import { SnapshotSink } from './snapshot-sink';
import { SoupExperiment } from './soup-experiment';

export default new ContainerModule(({ bind }) => {
  // transient: the options schema follows the interactions registered when the registry is built
  bind(Experiment).to(SoupExperiment);
  bind(OutputSink).to(SnapshotSink);
});
