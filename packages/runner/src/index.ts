import 'reflect-metadata';

export * from './srnn';
export * from './plugin-discovery';
export * from './plugin-loader';
export { realPathOf, scenarioPluginsToLoad, type ScenarioPluginOptions, type ScenarioPluginRef } from './scenario-plugins';
export * from './results-module';
export * from './results/atomic-file';
export * from './results/render-figures';
export * from './results/results-directory';
export * from './sinks/weights-sink';
export * from './sweep/expand-sweep';
export * from './sweep/sweep-runner';
export * from './sweep/sweep-tables';
export * from './sweep/quick';
export * from './pool/task-queue';
export * from './pool/execute-run';
export * from './pool/run-executor';
export * from './pool/worker-pool';
