import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import {
  pluginOptions,
  Population,
  RandomStreams,
  type Interaction,
  type InteractionContext,
  type InteractionEntry,
  type InteractionInstance,
  type NetworkKernels,
  type TrainOptions,
} from '@srnn/core';
import { registryOf } from '@srnn/testing';
import { WeightwiseNetwork, weightwiseModule } from '@srnn/weightwise';
import { AttackInteraction } from './attack-interaction';
import { LearnFromInteraction } from './learn-from-interaction';
import { MeltInteraction } from './melt-interaction';
import { SelfTrainInteraction } from './self-train-interaction';

const W = 14;
const registry = registryOf(weightwiseModule);

/** P random weightwise particles (4-2-2-1, linear, out-in) and an interaction context around them. */
function harness(P: number, seed = 5) {
  const network = new WeightwiseNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in' });
  const kernels = registry.kernelsFor(network, registry.backend('js'));
  const population = new Population(P, network.weightCount);
  const random = new RandomStreams(seed);
  for (let i = 0; i < P; i++) network.initialize('default', population.weightsOf(i), random.stream('init'));
  const instances: InteractionInstance[] = [];
  const replaced: { slot: number; parent: number; uid: number }[] = [];
  const context: InteractionContext = {
    population,
    network,
    kernels,
    stream: (purpose) => random.stream(`test:${purpose}`),
    replace: (slot, parent) => {
      const uid = population.rebirth(slot, 1, parent);
      for (const instance of instances) instance.reborn(slot);
      replaced.push({ slot, parent, uid });
      return uid;
    },
  };
  /** The interaction set up from a soup entry (as a soup does: its own options parsed, `type` removed). */
  const create = <S extends z.ZodObject>(interaction: Interaction<S>, entry: InteractionEntry) => {
    const instance = interaction.create(context, pluginOptions(interaction, entry));
    instances.push(instance);
    return instance;
  };
  return { population, kernels, context, create, replaced };
}

const rows = (...slots: number[]) => Int32Array.from(slots);
const row = (population: Population, i: number) => Array.from(population.weightsOf(i));

/** Particle i's weights in a one-row matrix (a copy). */
function single(population: Population, i: number) {
  return { data: population.weightsOf(i).slice(), index: rows(0) };
}

function trained(kernels: NetworkKernels, params: Float32Array, data: Float32Array, steps: number, options: TrainOptions): Float32Array {
  const p = { data: params.slice(), index: rows(0) };
  const d = { data, index: rows(0) };
  for (let s = 0; s < steps; s++) kernels.train(p, d, options);
  return p.data;
}

describe('attack', () => {
  it('rewrites the partner as actor ◁ partner and leaves the actor as it was', () => {
    const { population, kernels, create } = harness(4);
    const attack = create(new AttackInteraction(), { type: 'attack' });
    const actor = single(population, 1);
    const victim = single(population, 3);
    const expected = { data: new Float32Array(W), index: rows(0) };
    kernels.apply(actor, victim, expected);
    const uid = population.uid[3];
    attack.act(rows(1), rows(3));
    assert.deepEqual(row(population, 3), Array.from(expected.data));
    assert.deepEqual(row(population, 1), Array.from(actor.data));
    assert.equal(population.uid[3], uid, 'the victim keeps its identity');
  });

  it('of a particle on itself is one self-application', () => {
    const { population, kernels, create } = harness(2);
    const attack = create(new AttackInteraction(), { type: 'attack' });
    const self = single(population, 0);
    const expected = { data: new Float32Array(W), index: rows(0) };
    kernels.apply(self, self, expected);
    attack.act(rows(0), rows(0));
    assert.deepEqual(row(population, 0), Array.from(expected.data));
  });

  it('on disjoint pairs as one batch gives what the pairs give one by one', () => {
    const a = harness(6);
    const b = harness(6);
    a.create(new AttackInteraction(), { type: 'attack' }).act(rows(0, 2, 4), rows(1, 3, 5));
    const one = b.create(new AttackInteraction(), { type: 'attack' });
    for (const [x, y] of [
      [0, 1],
      [2, 3],
      [4, 5],
    ])
      one.act(rows(x), rows(y));
    assert.deepEqual(a.population.weights, b.population.weights);
  });
});

describe('learn-from', () => {
  const learnFrom = new LearnFromInteraction();

  it("takes `severity` training steps of the actor on the partner's rows and leaves the partner as it was", () => {
    const { population, kernels, create } = harness(3);
    const instance = create(learnFrom, { type: 'learn-from', severity: 3, lr: 0.1 });
    const partner = population.weightsOf(2).slice();
    const expected = trained(kernels, population.weightsOf(0), partner, 3, { lr: 0.1, momentum: 0, batch: 'full' });
    instance.act(rows(0), rows(2));
    assert.deepEqual(row(population, 0), Array.from(expected));
    assert.deepEqual(row(population, 2), Array.from(partner));
  });

  it("takes lr, momentum and batch from the soup's self-train entry unless given", () => {
    const selfTrain = { type: 'self-train', steps: 5, lr: 0.004, momentum: 0.9, batch: 1 };
    const learn = { type: 'learn-from', severity: 1 };
    assert.deepEqual(learnFrom.complete({ severity: 1 }, [learn, selfTrain]), { severity: 1, lr: 0.004, momentum: 0.9, batch: 1 });
    const own = { type: 'learn-from', severity: 1, lr: 0.5 };
    assert.deepEqual(learnFrom.complete({ severity: 1, lr: 0.5 }, [selfTrain, own]), { severity: 1, lr: 0.5, momentum: 0.9, batch: 1 });
  });

  it("without a self-train entry uses the paper's SGD: lr 0.04, no momentum, full batch", () => {
    const learn = { type: 'learn-from', severity: 2 };
    assert.deepEqual(learnFrom.complete({ severity: 2 }, [learn, { type: 'attack' }]), { severity: 2, lr: 0.04, momentum: 0, batch: 'full' });
  });
});

describe('self-train', () => {
  it('takes `steps` steps, as kernels.train with the particle as its own data', () => {
    const { population, kernels, create } = harness(2);
    const instance = create(new SelfTrainInteraction(), { type: 'self-train', steps: 4, lr: 0.04, momentum: 0, batch: 'full' });
    const before = population.weightsOf(1).slice();
    const expected = { data: before.slice(), index: rows(0) };
    for (let s = 0; s < 4; s++) kernels.train(expected, expected, { lr: 0.04, momentum: 0, batch: 'full' });
    instance.act(rows(1), rows(1));
    assert.deepEqual(row(population, 1), Array.from(expected.data));
    assert.deepEqual(row(population, 0), row(harness(2).population, 0), 'other particles are untouched');
  });

  it("keeps each particle's momentum across calls and forgets it when the slot is reborn", () => {
    const { population, kernels, context, create } = harness(2);
    const options = { lr: 0.004, momentum: 0.9, batch: 'full' as const };
    const instance = create(new SelfTrainInteraction(), { type: 'self-train', steps: 3, ...options });
    const expected = { data: population.weightsOf(0).slice(), index: rows(0) };
    const buffer = { data: new Float32Array(W), index: rows(0) };
    const step = (n: number) => {
      for (let s = 0; s < n; s++) kernels.train(expected, expected, { ...options, momentumBuffer: buffer });
    };
    instance.act(rows(0), rows(0));
    instance.act(rows(0), rows(0));
    step(6);
    assert.deepEqual(row(population, 0), Array.from(expected.data), 'six steps with one persistent buffer');

    context.replace(0, -1);
    buffer.data.fill(0);
    instance.act(rows(0), rows(0));
    step(3);
    assert.deepEqual(row(population, 0), Array.from(expected.data), 'the reborn slot starts from zero momentum');
  });
});

describe('melt', () => {
  it("puts a child of the partner, with exactly ⌊W/2⌋ of the actor's weights, in the partner's slot", () => {
    const { population, create, replaced } = harness(3);
    const instance = create(new MeltInteraction(), { type: 'melt' });
    population.weightsOf(0).set(Array.from({ length: W }, (_, i) => i + 1));
    population.weightsOf(2).set(Array.from({ length: W }, (_, i) => -(i + 1)));
    const actorUid = population.uid[0];
    const partnerUid = population.uid[2];
    instance.act(rows(0), rows(2));

    const child = row(population, 2);
    const fromActor = child.filter((v, i) => v === i + 1).length;
    const fromPartner = child.filter((v, i) => v === -(i + 1)).length;
    assert.equal(fromActor, Math.floor(W / 2));
    assert.equal(fromPartner, W - Math.floor(W / 2));
    assert.deepEqual(
      row(population, 0),
      Array.from({ length: W }, (_, i) => i + 1),
      'the actor is unchanged',
    );
    assert.equal(population.uid[0], actorUid);
    assert.deepEqual(replaced, [{ slot: 2, parent: partnerUid, uid: population.uid[2] }]);
    assert.equal(population.parentUid[2], partnerUid);
    assert.notEqual(population.uid[2], partnerUid);
  });

  it('draws a different half each time', () => {
    const { population, create } = harness(2);
    const instance = create(new MeltInteraction(), { type: 'melt' });
    const masks = new Set<string>();
    for (let t = 0; t < 20; t++) {
      population.weightsOf(0).fill(1);
      population.weightsOf(1).fill(0);
      instance.act(rows(0), rows(1));
      masks.add(row(population, 1).join(''));
    }
    assert.ok(masks.size > 10, `${masks.size} distinct halves in 20 melts`);
  });
});
