import { z } from 'zod';
import { fileReferenceSchema } from './absolute-paths';

const explicitWeights = z.object({ weights: z.array(z.array(z.number()).min(1)).min(1).describe('one weight vector per particle, in the layout of the architecture') }).strict();
const weightsFile = fileReferenceSchema('JSON file: a weights.json of an earlier run, or an array of weight vectors');

const schemeByType = z
  .object({
    byType: z
      .record(z.string(), z.string())
      .describe('architecture type → random initialisation scheme, for a sweep over architecture.type, e.g. { weightwise: glorot-uniform, recurrent: orthogonal }'),
  })
  .strict();

export const initSchema = z.union([z.string().describe('random initialisation scheme of the architecture, e.g. default | glorot-uniform'), explicitWeights, weightsFile, schemeByType]);
export type InitSpec = z.infer<typeof initSchema>;

const BACKEND_HELP = 'numerics backend (js, tfjs, wasm, wasm-f32, …); without it the fastest covering the network (wasm-f32 for the weightwise shapes it covers where WebAssembly SIMD runs), else js';

/** Keys every scenario has, whatever its plugins. */
function baseShape() {
  return {
    srnn: z.object({ version: z.string(), backend: z.string() }).strict().optional().describe('written by srnn into scenario.resolved.yaml: the version and engine that ran it (informational)'),
    name: z.string().optional().describe('a label for the run'),
    description: z.string().optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0)
      .describe('seed of every random stream of the run'),
    backend: z.string().optional().describe(BACKEND_HELP),
    plugins: z.array(z.string()).default([]).describe('extra plugin modules, relative to the scenario file and inside its folder; loaded only with --allow-plugins'),
    population: z
      .object({
        size: z.number().int().positive().describe('number of particles P'),
        init: initSchema.default('default'),
      })
      .strict(),
    classify: z
      .object({
        epsilon: z.number().positive().default(1e-5).describe('tolerance ε of the classification'),
        strict: z.boolean().default(false).describe('2019 semantics: |d| < ε instead of |d| ≤ ε'),
      })
      .strict()
      .prefault({}),
    output: z
      .object({ events: z.boolean().default(false).describe('also write events.jsonl') })
      .strict()
      .prefault({}),
    checkpoint: z
      .object({ every: z.number().int().positive().describe("units of the experiment's checkpoint unit (steps, epochs, …) between checkpoints") })
      .strict()
      .optional()
      .describe('save a checkpoint every N units into <out>.partial/, so that srnn resume <out> continues an interrupted run'),
    paper: paperSchema.optional().describe('what this scenario reproduces of the paper (srnn paper shows it in the report)'),
    quick: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('key path (e.g. population.size, experiment.steps, sweep.experiment.lr) → value: overrides for a small, seeded version (srnn paper --quick)'),
  };
}

/** A scenario's `paper:` block: what the paper did and found, shown beside srnn's results by `srnn paper`. */
export const paperSchema = z
  .object({
    section: z.union([z.string(), z.number()]).transform(String).optional().describe('section of PAPER.md, e.g. "4.3" (quote it: 4.10 is not 4.1)'),
    title: z.string().optional().describe('title of the experiment'),
    summary: z.string().optional().describe('what the paper did'),
    claims: z.array(z.string()).default([]).describe("the paper's qualitative claims"),
    reference: z.unknown().optional().describe("numbers from the paper to show beside srnn's (free-form: a mapping, e.g. per level or per network type)"),
    differences: z.array(z.string()).default([]).describe("open differences between srnn's results and the paper's, as far as they are known (the report lists them)"),
  })
  .strict();
export type PaperInfo = z.output<typeof paperSchema>;

/** An entry naming a plugin: `type` and the plugin's options (what `architecture:`, `experiment:` and each figure hold). */
export type PluginEntry = { type: string } & Record<string, unknown>;

/** The entries of the registered plugins of one kind, as a union on `type` (one member: itself; none: never). */
function unionOnType(plugins: readonly TypedPlugin[], what: string): z.ZodType<PluginEntry> {
  const [first, ...others] = plugins.map((p) =>
    z
      .object({ type: z.literal(p.type), ...p.optionsSchema.shape })
      .strict()
      .describe(p.description),
  );
  if (!first) return z.never().describe(`no ${what} plugin is registered`);
  if (others.length === 0) return first;
  return z.discriminatedUnion('type', [first, ...others]);
}

type ScenarioSchema = ReturnType<typeof composeScenarioSchema>;

/** A plugin that adds a member to a union on `type` of the scenario format. */
interface TypedPlugin {
  readonly type: string;
  readonly optionsSchema: z.ZodObject;
  readonly description: string;
}

/** What the scenario format is composed of: the registered plugins (a PluginRegistry is one). */
export interface ScenarioPlugins {
  readonly backends: readonly { readonly name: string }[];
  readonly architectures: readonly TypedPlugin[];
  readonly experiments: readonly TypedPlugin[];
  readonly figures: readonly TypedPlugin[];
}

/**
 * Composed once per registry: building a zod schema and the parser code zod generates for it on
 * first use costs more than validating a scenario (a sweep validates each of its runs).
 */
const schemas = new WeakMap<ScenarioPlugins, ScenarioSchema>();

/** The scenario format with the registered plugins' option schemas composed in. */
export function buildScenarioSchema(registry: ScenarioPlugins): ScenarioSchema {
  let schema = schemas.get(registry);
  if (!schema) {
    schema = composeScenarioSchema(registry);
    schemas.set(registry, schema);
  }
  return schema;
}

function composeScenarioSchema(registry: ScenarioPlugins) {
  const backends = registry.backends.map((b) => b.name);
  const backend = backends.length > 0 ? z.enum(backends as [string, ...string[]]) : z.string();
  return z
    .object({
      ...baseShape(),
      backend: backend.optional().describe(BACKEND_HELP),
      architecture: unionOnType(registry.architectures, 'architecture'),
      experiment: unionOnType(registry.experiments, 'experiment'),
      sweep: z.record(z.string(), z.array(z.unknown()).min(1)).optional().describe('key path (e.g. experiment.lr) → list of values; the run is repeated for every combination'),
      replicates: z.number().int().positive().default(1).describe('runs per combination, each with its own derived seed'),
      figures: z
        .array(registry.figures.length > 0 ? unionOnType(registry.figures, 'figure') : z.object({ type: z.string() }).loose())
        .default([])
        .describe('figures to draw into the results directory'),
    })
    .strict();
}

/** A scenario as srnn runs it: validated by the composed schema, every default filled in (an omitted `backend` once its network is built). */
export type ResolvedScenario = z.output<ScenarioSchema>;
