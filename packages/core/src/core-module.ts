import { ContainerModule } from 'inversify';
import { Backend } from './backend';
import { JsBackend } from './js-backend';
import { OutputSink } from './output-sink';
import { PluginRegistry } from './registry';
import { CensusSink } from './sinks/census-sink';
import { EventsSink } from './sinks/events-sink';
import { ResolvedScenarioSink } from './sinks/resolved-scenario-sink';
import { WeightsSink } from './sinks/weights-sink';

/** What core itself contributes: the default backend, the registry and the results files. */
export const coreModule = new ContainerModule(({ bind }) => {
  bind(PluginRegistry).toSelf();
  bind(Backend).to(JsBackend).inSingletonScope();
  bind(OutputSink).to(ResolvedScenarioSink);
  bind(OutputSink).to(CensusSink);
  bind(OutputSink).to(WeightsSink);
  bind(OutputSink).to(EventsSink);
});
