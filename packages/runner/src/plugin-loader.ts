import type { ContainerModule } from 'inversify';

export interface PluginModuleRef {
  /** Package name, or the path given in a scenario. */
  readonly name: string;
  readonly path: string;
}

/** Requires a plugin file and returns its default-exported ContainerModule. */
export function loadPluginModule(ref: PluginModuleRef): ContainerModule {
  let exported: { default?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module file chosen at run time, loaded synchronously as CommonJS
    exported = require(ref.path);
  } catch (error) {
    throw new Error(`plugin ${ref.name}: cannot load ${ref.path}: ${(error as Error).message}`, { cause: error });
  }
  const module = exported.default as ContainerModule | undefined;
  if (!module || typeof (module as { load?: unknown }).load !== 'function') {
    throw new Error(`plugin ${ref.name}: ${ref.path} must default-export an inversify ContainerModule`);
  }
  return module;
}
