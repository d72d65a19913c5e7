import { z } from 'zod';
import { buildScenarioSchema, type ScenarioPlugins } from '@srnn/core';

/** The JSON Schema of scenario files with the registered plugins composed in (`srnn schema`, for editors). */
export function scenarioJsonSchema(registry: ScenarioPlugins): unknown {
  return z.toJSONSchema(buildScenarioSchema(registry), { io: 'input', unrepresentable: 'any' });
}
