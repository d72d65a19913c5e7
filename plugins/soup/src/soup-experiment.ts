import { injectable, multiInject, optional } from 'inversify';
import { Interaction, type CheckContext, type CheckpointState, type Experiment, type ExperimentContext, type PopulationSnapshot, type ScenarioIssue } from '@srnn/core';
import { checkFixpointSource } from '@srnn/analysis';
import { respawnScheme, Soup } from './soup';
import { clonesNeeded, clonesWork, SoupClones } from './soup-clones';
import { soupOptionsSchema, type SoupOptions } from './soup-options';

/**
 * PAPER.md §4.7 soups: a population of interacting particles evolving in epochs (see Soup for one
 * epoch). Emits per epoch, when somebody wants it, an `interactions` event (who did what to whom,
 * births and deaths); a census every `censusEvery` epochs; with `snapshotEvery`, when somebody
 * wants them, `snapshot` events (every particle's weights) at epoch 0, every `snapshotEvery`
 * epochs and the last epoch (see soup-events.ts).
 *
 * Bound in transient scope: its options schema is composed from the interactions registered when
 * the registry is built, so interactions from a scenario's `plugins:` are included.
 *
 * With `clones` (PAPER.md §4.8), the soup starts from noisy clones of fixpoints (SoupClones) and
 * writes soup-clones.csv/json at the end; a `train` parent source counts its steps as progress
 * before the epochs.
 */
@injectable()
export class SoupExperiment implements Experiment<ReturnType<typeof soupOptionsSchema>> {
  readonly type = 'soup';
  readonly description = 'a population of interacting particles (attack, learn-from, self-train, melt, …) evolving in epochs';
  readonly optionsSchema: ReturnType<typeof soupOptionsSchema>;
  readonly checkpointUnit = 'epochs';

  constructor(@multiInject(Interaction) @optional() private readonly interactions: readonly Interaction[] = []) {
    this.optionsSchema = soupOptionsSchema(interactions);
  }

  totalWork(options: SoupOptions): number {
    const { epochs, clones } = options;
    return clonesWork(clones) + epochs;
  }

  /** `per: epoch` partners, the respawn scheme and the clones' slots and parents, before the first epoch. */
  check(options: SoupOptions, context: CheckContext): ScenarioIssue[] {
    const { scenario, network } = context;
    const P = scenario.population.size;
    const issues: ScenarioIssue[] = [];
    options.interactions.forEach((entry, i) => {
      const partnered = this.interactions.find((interaction) => interaction.type === entry.type)?.partnered;
      if (entry.per === 'epoch' && partnered && P < 2) {
        issues.push({ path: ['experiment', 'interactions', i, 'per'], message: `${entry.type} per epoch needs a partner other than the actor: population.size must be at least 2` });
      }
    });
    const scheme = respawnScheme(options, scenario, network);
    if ((options.respawn.divergent || options.respawn.zero) && !network.initSchemes.includes(scheme)) {
      issues.push({ path: ['experiment', 'respawn', 'init'], message: `unknown init "${scheme}" for ${network.type}; expected one of: ${network.initSchemes.join(', ')}` });
    }
    const { clones } = options;
    if (clones) {
      const N = clonesNeeded(clones);
      if (N > P) {
        issues.push({
          path: ['population', 'size'],
          message: `a soup with clones needs population.size ≥ ${N} (${clones.take} parents × ${clones.levels.length} levels × ${clones.count} clones); it is ${P}`,
        });
      }
      issues.push(...checkFixpointSource(clones.parents, ['experiment', 'clones', 'parents'], context, clones.take).issues);
    }
    return issues;
  }

  async run(context: ExperimentContext, options: SoupOptions): Promise<void> {
    let clones: SoupClones | undefined;
    const soup = new Soup(context, options, this.interactions, (...death) => clones?.died(...death));
    const { epochs, snapshotEvery } = options;
    const censusEvery = options.censusEvery ?? Math.max(1, Math.ceil(epochs / 50));
    const due = (epoch: number, every: number) => epoch % every === 0 || epoch === epochs;
    const offset = clonesWork(options.clones);
    const total = offset + epochs;
    const restored = context.restored as SoupState | undefined;
    if (restored) {
      soup.restore(restored.soup);
      if (options.clones && restored.clones) clones = SoupClones.restore(context, options.clones, restored.clones);
    } else {
      if (options.clones) clones = await SoupClones.spawn(context, options.clones, total);
      context.census(0);
      if (snapshotEvery) snapshot(context, 0);
    }
    for (let epoch = soup.epoch + 1; epoch <= epochs; epoch++) {
      const event = soup.step(context.wants('interactions'));
      if (event) context.emit(event);
      if (due(epoch, censusEvery)) context.census(epoch);
      if (snapshotEvery && due(epoch, snapshotEvery)) snapshot(context, epoch);
      await context.progress(offset + epoch, total);
      await context.checkpoint(epoch, (): SoupState => ({ soup: soup.save(), clones: clones?.save() ?? null }));
    }
    clones?.finish(context);
  }
}

/** What a soup saves at a checkpoint: the epoch and its interactions' state, the clones' records. */
interface SoupState extends CheckpointState {
  readonly soup: CheckpointState;
  readonly clones: CheckpointState | null;
}

/** Emits every particle's weights, uid and class (copies), when somebody wants them. */
function snapshot(context: ExperimentContext, step: number): void {
  if (!context.wants('snapshot')) return;
  const { population } = context;
  const classes = context.classify({ data: population.weights, index: population.all() });
  const snapshot: PopulationSnapshot = {
    step,
    weightCount: population.weightCount,
    weights: population.weights.slice(),
    uids: population.uid.slice(),
    parentUids: population.parentUid.slice(),
    birthSteps: population.birthStep.slice(),
    classes,
  };
  context.emit({ kind: 'snapshot', step, population: snapshot });
}
