import { ContainerModule } from 'inversify';
import { OutputSink } from '@srnn/core';
import { CensusSink } from './sinks/census-sink';
import { EventsSink } from './sinks/events-sink';
import { ResolvedScenarioSink } from './sinks/resolved-scenario-sink';
import { WeightsSink } from './sinks/weights-sink';

/** The results files every run writes: scenario.resolved.yaml, census.csv, weights.json, events.jsonl. */
export const resultsModule = new ContainerModule(({ bind }) => {
  bind(OutputSink).to(ResolvedScenarioSink);
  bind(OutputSink).to(CensusSink);
  bind(OutputSink).to(WeightsSink);
  bind(OutputSink).to(EventsSink);
});
