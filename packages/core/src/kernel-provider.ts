import type { Backend } from './backend';
import type { NetworkKernels, NetworkShape } from './network';
import type { Rng } from './random';

/**
 * Extension point: the kernels of one network type on one backend. srnn looks them up by
 * (architecture type, backend name), as tfjs looks up (kernel name, backend name): a network type
 * contributes its js kernels, a backend package the kernels it has for the types it supports, and
 * neither the run nor the network type ever asks which backend it is on.
 */
export const KernelProvider = Symbol('KernelProvider');
export interface KernelProvider<N extends NetworkShape = NetworkShape, B extends Backend = Backend> {
  /** The architecture type served (`NetworkShape.type`, `architecture: { type }`). */
  readonly architecture: string;
  /** The name of the backend the kernels run on (`Backend.name`). */
  readonly backend: string;
  /**
   * Kernels for a network of that type on that backend (initialised before). `rng` is the run's
   * stream for random choices inside kernels (e.g. a shuffled de-aggregation); providers whose
   * kernels draw require it.
   */
  create(network: N, backend: B, rng?: Rng): NetworkKernels;
  /** For a scenario that names no backend: how much these kernels are preferred for the network (the highest above 0 wins, else js); 0 or none: never. */
  defaultRank?(network: N): number;
}
