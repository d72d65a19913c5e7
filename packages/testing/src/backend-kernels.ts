import { Container, type ContainerModule } from 'inversify';
import { coreModule, PluginRegistry, type Backend, type KernelProvider, type NetworkShape } from '@srnn/core';

/** A backend with its kernel provider for the network type under test: what the kernel test kits run on. */
export interface BackendKernels<N extends NetworkShape = NetworkShape> {
  readonly backend: Backend;
  readonly provider: KernelProvider<N>;
}

/** The registry of core and exactly these plugin modules (no discovery), built synchronously for tests. */
export function registryOf(...modules: ContainerModule[]): PluginRegistry {
  const container = new Container();
  container.loadSync(coreModule, ...modules);
  return container.get(PluginRegistry);
}

/** The backend `backend` of a registry with its kernels for `architecture`. */
export function backendKernels<N extends NetworkShape = NetworkShape>(registry: PluginRegistry, architecture: string, backend: string): BackendKernels<N> {
  return { backend: registry.backend(backend), provider: registry.kernelProvider(architecture, backend) as KernelProvider<N> };
}
