import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PARTICLE_CLASSES, type NetworkKernels, type PopulationSnapshot, type RunEvent, type RunEventOf, type RunResult } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { registryOf } from '@srnn/testing';
import { interactionsModule } from '@srnn/interactions';
import { WeightwiseNetwork, weightwiseModule } from '@srnn/weightwise';
import type { InteractionsEvent } from './soup-events';
import soupModule from './soup-module';

let srnn: Srnn;
before(async () => {
  srnn = await Srnn.create({ discover: false, modules: [weightwiseModule, interactionsModule, soupModule] });
});

interface Recorded {
  readonly result: RunResult;
  readonly events: RunEvent[];
}

async function run(yaml: string, observe = true): Promise<Recorded> {
  const created = srnn.createRun(await srnn.loadScenarioText(yaml, 'soup.yaml'));
  const events: RunEvent[] = [];
  if (observe) created.events$.subscribe((e) => events.push(e));
  return { result: await created.execute(), events };
}

function ofKind<K extends RunEvent['kind']>(events: readonly RunEvent[], kind: K): RunEventOf<K>[] {
  return events.filter((e): e is RunEventOf<K> => e.kind === kind);
}

function scenario(options: { seed?: number; size?: number; init?: string; experiment: string }): string {
  const { seed = 3, size = 6, init = 'default', experiment } = options;
  return ['seed: ' + seed, 'architecture: { type: weightwise }', `population: { size: ${size}, init: ${init} }`, 'experiment:', experiment, ''].join('\n');
}

const weightwise = registryOf(weightwiseModule);
const kernels: NetworkKernels = weightwise.kernelsFor(new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' }), weightwise.backend('js'));

type Entry = { type: string; severity?: number; steps?: number; lr?: number; momentum?: number; batch?: 'full' | 1 };

/**
 * Replays the interaction records one by one, in the given order per epoch, on a copy of the
 * initial weights (attack, learn-from and self-train; no births), with one momentum buffer per entry.
 */
function replay(start: PopulationSnapshot, epochs: InteractionsEvent[], entries: Entry[], reorder = (n: number) => [...Array(n).keys()]): Float32Array {
  const W = start.weightCount;
  const weights = start.weights.slice();
  const slotOf = new Map(Array.from(start.uids, (uid, slot) => [uid, slot]));
  const momentum = entries.map(() => new Float32Array(weights.length));
  for (const epoch of epochs) {
    assert.equal(epoch.births.uid.length, 0, 'replay handles no births');
    for (const k of reorder(epoch.interactions.code.length)) {
      const code = epoch.interactions.code[k];
      const entry = entries[code];
      const a = { data: weights, index: Int32Array.of(slotOf.get(epoch.interactions.actor[k])!) };
      const p = { data: weights, index: Int32Array.of(slotOf.get(epoch.interactions.partner[k])!) };
      if (entry.type === 'attack') kernels.apply(a, p, p);
      else {
        const steps = entry.type === 'learn-from' ? entry.severity! : entry.steps!;
        const options = { lr: entry.lr!, momentum: entry.momentum!, batch: entry.batch!, momentumBuffer: { data: momentum[code], index: a.index } };
        for (let s = 0; s < steps; s++) kernels.train(a, entry.type === 'learn-from' ? p : a, options);
      }
    }
  }
  assert.equal(weights.length, start.weights.length, `${W} weights per particle`);
  return weights;
}

function resolvedEntries(events: RunEvent[]): Entry[] {
  return ofKind(events, 'run-started')[0].info.scenario.experiment.interactions as Entry[];
}

describe('soup experiment', () => {
  describe('with attack, learn-from and self-train (momentum) per particle', () => {
    const yaml = scenario({
      size: 8,
      experiment: [
        '  type: soup',
        '  epochs: 6',
        '  snapshotEvery: 100',
        '  interactions:',
        '    - { type: attack, rate: 0.5 }',
        '    - { type: learn-from, rate: 0.5, severity: 3 }',
        '    - { type: self-train, steps: 2, lr: 0.01, momentum: 0.9 }',
      ].join('\n'),
    });
    let recorded: Recorded;
    before(async () => {
      recorded = await run(yaml);
    });

    it('gives exactly the weights of the kernels applied one interaction at a time, in the recorded order', () => {
      const { result, events } = recorded;
      const [start] = ofKind(events, 'snapshot');
      assert.equal(start.step, 0);
      const expected = replay(start.population, ofKind(events, 'interactions'), resolvedEntries(events));
      assert.deepEqual(result.population.weights, expected);
    });

    it('is sequential: a particle attacked earlier in the epoch acts with its new weights', () => {
      const { result, events } = recorded;
      const epochs = ofKind(events, 'interactions');
      const attack = epochs[0].codes.indexOf('attack');
      const attackedThenActs = epochs.some((epoch) => {
        const { code, actor, partner } = epoch.interactions;
        return Array.from(code).some(
          (c, k) =>
            c === attack &&
            actor[k] !== partner[k] &&
            Array.from(actor)
              .slice(k + 1)
              .includes(partner[k]),
        );
      });
      assert.ok(attackedThenActs, 'the run has an attacked particle acting later in the same epoch');
      const [start] = ofKind(events, 'snapshot');
      const reversed = replay(start.population, epochs, resolvedEntries(events), (n) => [...Array(n).keys()].reverse());
      assert.notDeepEqual(result.population.weights, reversed, 'the order of the epoch matters');
    });

    it("completes learn-from's SGD settings from the self-train entry in the resolved scenario", () => {
      const [, learn] = resolvedEntries(recorded.events);
      assert.deepEqual(learn, { type: 'learn-from', rate: 0.5, per: 'particle', severity: 3, lr: 0.01, momentum: 0.9, batch: 'full' });
    });

    it('records every particle once per epoch for self-train, and actors and partners that are alive', () => {
      const { events } = recorded;
      const uids = new Set(Array.from(ofKind(events, 'snapshot')[0].population.uids));
      for (const epoch of ofKind(events, 'interactions')) {
        const { code, actor, partner } = epoch.interactions;
        const training = Array.from(actor).filter((_, k) => code[k] === 2);
        assert.deepEqual(
          [...training].sort((a, b) => a - b),
          [...uids].sort((a, b) => a - b),
        );
        for (let k = 0; k < code.length; k++) {
          assert.ok(uids.has(actor[k]) && uids.has(partner[k]));
          if (code[k] === 2) assert.equal(partner[k], actor[k], 'self-train has no partner');
        }
      }
    });

    it('is the same run with one seed, observed or not', async () => {
      const again = await run(yaml);
      assert.deepEqual(again.result.population.weights, recorded.result.population.weights);
      assert.deepEqual(ofKind(again.events, 'interactions'), ofKind(recorded.events, 'interactions'));
      const unobserved = await run(yaml, false);
      assert.deepEqual(unobserved.result.population.weights, recorded.result.population.weights);
      const other = await run(yaml.replace('seed: 3', 'seed: 4'));
      assert.notDeepEqual(other.result.population.weights, recorded.result.population.weights);
    });
  });

  it('with rate 1, attack and learn-from give exactly the weights the kernels predict', async () => {
    const { result, events } = await run(
      scenario({
        size: 5,
        experiment: '  { type: soup, epochs: 3, snapshotEvery: 10, interactions: [ { type: attack, rate: 1 }, { type: learn-from, rate: 1, severity: 2, lr: 0.03 } ] }',
      }),
    );
    const epochs = ofKind(events, 'interactions');
    assert.deepEqual(
      epochs.map((e) => e.interactions.code.length),
      [10, 10, 10],
    );
    const expected = replay(ofKind(events, 'snapshot')[0].population, epochs, resolvedEntries(events));
    assert.deepEqual(result.population.weights, expected);
  });

  it('a partnerless interaction per epoch picks one actor, its own partner', async () => {
    const { events } = await run(scenario({ size: 5, experiment: '  { type: soup, epochs: 20, interactions: [ { type: self-train, steps: 1, per: epoch } ] }' }));
    const actors = ofKind(events, 'interactions').map((e) => {
      assert.equal(e.interactions.code.length, 1);
      assert.equal(e.interactions.actor[0], e.interactions.partner[0]);
      return e.interactions.actor[0];
    });
    assert.ok(new Set(actors).size > 2, 'actors vary');
  });

  it('with rate 1 per particle, every particle attacks once per epoch, partners drawn from the whole population', async () => {
    const { events } = await run(scenario({ size: 5, experiment: '  { type: soup, epochs: 40, interactions: [ { type: attack, rate: 1 } ] }' }));
    let self = 0;
    for (const epoch of ofKind(events, 'interactions')) {
      assert.deepEqual(Array.from(epoch.interactions.actor).sort(), [0, 1, 2, 3, 4]);
      self += Array.from(epoch.interactions.actor).filter((a, k) => a === epoch.interactions.partner[k]).length;
    }
    assert.ok(self > 0, 'a particle may pick itself');
  });

  it('per epoch fires at most once per epoch, before the particles act, with a partner other than the actor', async () => {
    const { events } = await run(
      scenario({
        size: 4,
        experiment: '  { type: soup, epochs: 300, interactions: [ { type: self-train, steps: 1 }, { type: attack, rate: 0.5, per: epoch } ] }',
      }),
    );
    const epochs = ofKind(events, 'interactions');
    let fired = 0;
    for (const epoch of epochs) {
      const { code, actor, partner } = epoch.interactions;
      const attacks = Array.from(code).flatMap((c, k) => (c === 1 ? [k] : []));
      assert.ok(attacks.length <= 1);
      if (attacks.length === 0) continue;
      fired++;
      assert.deepEqual(attacks, [0], 'the epoch starts with it');
      assert.notEqual(actor[0], partner[0]);
    }
    assert.ok(fired > 110 && fired < 190, `${fired} of 300 epochs with an attack at rate 0.5`);
  });

  it('melt replaces the partner by its child: a new uid, the partner as parent, birth and death in the event', async () => {
    const { result, events } = await run(scenario({ size: 5, experiment: '  { type: soup, epochs: 10, interactions: [ { type: melt, rate: 1, per: epoch } ] }' }));
    const epochs = ofKind(events, 'interactions');
    const living = new Set(Array.from({ length: 5 }, (_, i) => i));
    for (const epoch of epochs) {
      const [actor, partner] = [epoch.interactions.actor[0], epoch.interactions.partner[0]];
      assert.deepEqual(Array.from(epoch.deaths.uid), [partner]);
      assert.deepEqual(Array.from(epoch.births.parent), [partner]);
      assert.deepEqual([epoch.codes[epoch.births.cause[0]], epoch.codes[epoch.deaths.cause[0]]], ['melt', 'melt']);
      assert.ok(living.has(actor) && living.has(partner));
      living.delete(partner);
      living.add(epoch.births.uid[0]);
    }
    assert.deepEqual(new Set(result.population.uids), living);
    assert.equal(Math.max(...result.population.uids), 14, 'uids are never reused');
  });

  describe('respawn', () => {
    const W = 14;
    const zero = Array(W).fill(0);
    const huge = Array(W).fill(1e20); // one training step overflows
    const handMade = Array.from({ length: W }, (_, i) => (i === 0 || i === 8 || i === 12 ? 1 : 0));
    const init = `{ weights: ${JSON.stringify([zero, huge, handMade, zero])} }`;
    const experiment = (respawn: string) => `  { type: soup, epochs: 3, censusEvery: 1, interactions: [ { type: self-train, steps: 1 } ], respawn: ${respawn} }`;

    it('replaces divergent and zero particles by fresh ones: same size, new uids, no parent, births paired with deaths', async () => {
      const { result, events } = await run(scenario({ size: 4, init, experiment: experiment('{ divergent: true, zero: true }') }));
      const [first, ...rest] = ofKind(events, 'interactions');
      assert.deepEqual(Array.from(first.deaths.uid), [0, 1, 3]);
      assert.deepEqual(
        Array.from(first.deaths.cause, (c) => first.codes[c]),
        ['respawn-zero', 'respawn-divergent', 'respawn-zero'],
      );
      assert.deepEqual(Array.from(first.births.uid), [4, 5, 6]);
      assert.deepEqual(Array.from(first.births.parent), [-1, -1, -1]);
      assert.deepEqual(first.births.cause, first.deaths.cause);
      for (const epoch of rest) assert.equal(epoch.births.uid.length, 0, 'fresh random particles neither diverge nor vanish in two steps');

      const { population } = result;
      assert.equal(population.uids.length, 4);
      assert.deepEqual(Array.from(population.uids), [4, 5, 2, 6]);
      assert.deepEqual(Array.from(population.parentUids), [-1, -1, -1, -1]);
      assert.deepEqual(Array.from(population.birthSteps), [1, 1, 0, 1]);
      assert.equal(PARTICLE_CLASSES[population.classes[2]], 'fixpoint');
      for (const census of ofKind(events, 'census').slice(1)) assert.deepEqual([census.census.divergent, census.census.zero], [0, 0]);
    });

    it('replaces only what it is asked to', async () => {
      const { result, events } = await run(scenario({ size: 4, init, experiment: experiment('{ zero: true }') }));
      assert.deepEqual(Array.from(ofKind(events, 'interactions')[0].deaths.uid), [0, 3]);
      assert.equal(result.census.divergent, 1);
      const off = await run(scenario({ size: 4, init, experiment: experiment('{}') }));
      assert.deepEqual(Array.from(off.result.population.uids), [0, 1, 2, 3]);
      assert.deepEqual(
        ofKind(off.events, 'interactions').map((e) => e.births.uid.length),
        [0, 0, 0],
      );
    });

    it('rejects an init scheme the architecture does not have, located in the scenario, when it loads', async () => {
      const text = scenario({ experiment: '  { type: soup, epochs: 1, interactions: [], respawn: { zero: true, init: nope } }' });
      await assert.rejects(srnn.loadScenarioText(text, 'bad.yaml'), /bad\.yaml:\d+:\d+: .*unknown init "nope"/);
    });
  });

  it('keeps the interactions events consistent with the census: the living uids are the classified ones', async () => {
    const { events } = await run(
      scenario({
        size: 30,
        init: 'glorot-uniform',
        experiment: [
          '  type: soup',
          '  epochs: 12',
          '  censusEvery: 3',
          '  interactions: [ { type: attack, rate: 0.3 }, { type: melt, rate: 0.1 }, { type: self-train, steps: 3 } ]',
          '  respawn: { divergent: true, zero: true }',
        ].join('\n'),
      }),
    );
    const living = new Set(Array.from({ length: 30 }, (_, i) => i));
    let births = 0;
    for (const event of events) {
      if (event.kind === 'interactions') {
        assert.equal(event.births.uid.length, event.deaths.uid.length);
        event.deaths.uid.forEach((uid, k) => {
          assert.ok(living.delete(uid), `uid ${uid} died once, alive`);
          living.add(event.births.uid[k]);
          births++;
        });
      }
      if (event.kind === 'classified') assert.deepEqual(new Set(event.uids), living, `census at ${event.step}`);
      if (event.kind === 'census' && event.step > 0) assert.equal(event.census.divergent + event.census.zero, 0);
    }
    assert.ok(births > 5, `${births} births`);
  });

  it('emits one interactions event per epoch, and snapshots at epoch 0, every snapshotEvery epochs and the last', async () => {
    const yaml = scenario({ experiment: '  { type: soup, epochs: 7, snapshotEvery: 3, interactions: [ { type: attack } ] }' });
    const { events } = await run(yaml);
    assert.deepEqual(
      ofKind(events, 'interactions').map((e) => e.step),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(
      ofKind(events, 'snapshot').map((e) => e.step),
      [0, 3, 6, 7],
    );
    assert.deepEqual(
      ofKind(events, 'progress').map((e) => e.done),
      [1, 2, 3, 4, 5, 6, 7],
    );
  });
});
