import { injectable, multiInject, optional } from 'inversify';
import { Architecture } from './architecture';
import { Backend } from './backend';
import { Experiment } from './experiment';
import { Figure } from './figure';
import { Interaction } from './interaction';
import { OutputSink } from './output-sink';

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
  ) {
    for (const [what, list] of Object.entries({ architectures, experiments, interactions, backends, sinks, figures })) {
      const names = (list as readonly Named[]).map((p) => p.type ?? p.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) throw new Error(`two plugins register ${what.replace(/s$/, '')} "${twice}"`);
    }
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
}

function pick<T>(list: readonly T[], nameOf: (t: T) => string, name: string, what: string): T {
  const found = list.find((t) => nameOf(t) === name);
  if (!found) {
    const known = list.map(nameOf).join(', ') || 'none';
    throw new Error(`unknown ${what} "${name}" (registered: ${known})`);
  }
  return found;
}
