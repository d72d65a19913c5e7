/**
 * Extension point: an engine that runs network kernels ("js" typed arrays, "tfjs", …). Its kernels
 * are the KernelProviders registered under its `name`, one per network type it runs.
 */
export const Backend = Symbol('Backend');
export interface Backend {
  /** The name scenarios and `--backend` use. */
  readonly name: string;
  /** Loads the engine; called once before any kernel is created. */
  init(): Promise<void>;
  /** What actually runs, for results and logs (e.g. "tfjs 4.22.0 (wasm)"). Valid after init. */
  describe(): string;
}
