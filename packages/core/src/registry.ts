import { injectable, multiInject, optional } from 'inversify';
import { Architecture } from './architecture';
import { Backend } from './backend';
import { Experiment } from './experiment';
import { Figure } from './figure';
import { Interaction } from './interaction';
import { KernelProvider } from './kernel-provider';
import type { NetworkKernels, NetworkShape } from './network';
import { OutputSink } from './output-sink';
import type { Rng } from './random';

interface Named {
  readonly type?: string;
  readonly name?: string;
}

/** Every plugin contribution bound in the container, looked up by the name scenarios use. */
@injectable()
export class PluginRegistry {
  constructor(
    @multiInject(Architecture) @optional() readonly architectures: readonly Architecture[] = [],
    @multiInject(Experiment) @optional() readonly experiments: readonly Experiment[] = [],
    @multiInject(Interaction) @optional() readonly interactions: readonly Interaction[] = [],
    @multiInject(Backend) @optional() readonly backends: readonly Backend[] = [],
    @multiInject(OutputSink) @optional() readonly sinks: readonly OutputSink[] = [],
    @multiInject(Figure) @optional() readonly figures: readonly Figure[] = [],
    @multiInject(KernelProvider) @optional() readonly kernelProviders: readonly KernelProvider[] = [],
  ) {
    for (const [what, list] of Object.entries({ architectures, experiments, interactions, backends, sinks, figures })) {
      const names = (list as readonly Named[]).map((p) => p.type ?? p.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) throw new Error(`two plugins register ${what.replace(/s$/, '')} "${twice}"`);
    }
    const pairs = kernelProviders.map((k) => JSON.stringify([k.architecture, k.backend]));
    const twice = kernelProviders.find((_, i) => pairs.indexOf(pairs[i]) !== i);
    if (twice) throw new Error(`two plugins register kernels for architecture "${twice.architecture}" on backend "${twice.backend}"`);
  }

  architecture(type: string): Architecture {
    return pick(this.architectures, (a) => a.type, type, 'architecture');
  }

  experiment(type: string): Experiment {
    return pick(this.experiments, (e) => e.type, type, 'experiment');
  }

  interaction(type: string): Interaction {
    return pick(this.interactions, (i) => i.type, type, 'interaction');
  }

  figure(type: string): Figure {
    return pick(this.figures, (f) => f.type, type, 'figure');
  }

  backend(name: string): Backend {
    return pick(this.backends, (b) => b.name, name, 'backend');
  }

  /** The backend of a scenario that names none: the one whose kernels rank the network highest (KernelProvider.defaultRank), else js. */
  defaultBackend(network: NetworkShape): string {
    const ranked = this.kernelProviders.map((k) => ({ name: k.backend, rank: k.architecture === network.type ? (k.defaultRank?.(network) ?? 0) : 0 }));
    return ranked.reduce((best, k) => (k.rank > best.rank ? k : best), { name: 'js', rank: 0 }).name;
  }

  /** The names of the backends that have kernels for an architecture type, sorted. */
  kernelBackends(architecture: string): string[] {
    return this.kernelProviders
      .filter((k) => k.architecture === architecture)
      .map((k) => k.backend)
      .sort();
  }

  /** Why (architecture, backend) has no kernels, naming the backends that have some; undefined when it has. */
  missingKernels(architecture: string, backend: string): string | undefined {
    if (this.findKernels(architecture, backend)) return undefined;
    const known = this.kernelBackends(architecture);
    return `backend "${backend}" has no kernels for architecture "${architecture}" (backends with ${architecture} kernels: ${known.join(', ') || 'none'})`;
  }

  kernelProvider(architecture: string, backend: string): KernelProvider {
    const found = this.findKernels(architecture, backend);
    if (!found) throw new Error(this.missingKernels(architecture, backend));
    return found;
  }

  /** The kernels of a network on an (initialised) backend, from the provider of (network.type, backend.name). */
  kernelsFor(network: NetworkShape, backend: Backend, rng?: Rng): NetworkKernels {
    return this.kernelProvider(network.type, backend.name).create(network, backend, rng);
  }

  private findKernels(architecture: string, backend: string): KernelProvider | undefined {
    return this.kernelProviders.find((k) => k.architecture === architecture && k.backend === backend);
  }
}

function pick<T>(list: readonly T[], nameOf: (t: T) => string, name: string, what: string): T {
  const found = list.find((t) => nameOf(t) === name);
  if (!found) {
    const known = list.map(nameOf).join(', ') || 'none';
    throw new Error(`unknown ${what} "${name}" (registered: ${known})`);
  }
  return found;
}
