import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ScenarioError } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { describeCli, readJson, runCli, tempDir, writeFile, type WeightsJson } from './support/helpers';

/** What srnn writes, srnn reads back: weights.json (NaN and ±∞ included) and scenario.resolved.yaml. */

describe('weights.json round trips', () => {
  let dir: string;

  before(() => {
    dir = tempDir('srnn-round-trip-');
  });

  test('NaN, Infinity and -Infinity are written as strings and read back by population.init: { file }', () => {
    const weights = [
      ['NaN', 'Infinity', '-Infinity', 0.5, -0.25, 0, 0, 0, 1, 0, 0, 0, 1, 0],
      [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0],
    ];
    writeFileSync(join(dir, 'init.json'), JSON.stringify({ particles: weights.map((w, uid) => ({ uid, class: 'other', weights: w })) }));
    writeFile(dir, 'again.yaml', ['seed: 2', 'architecture: { type: weightwise }', 'population: { size: 2, init: { file: init.json } }', 'experiment: { type: self-train, steps: 0 }', ''].join('\n'));
    const first = runCli(['run', 'again.yaml', '--out', 'first'], dir);
    assert.equal(first.status, 0, describeCli(first));
    const written = readJson<WeightsJson>(join(dir, 'first', 'weights.json'));
    assert.deepEqual(
      written.particles.map((p) => p.weights),
      weights,
      'the weights as they were given, non-finite ones as strings',
    );
    assert.deepEqual(
      written.particles.map((p) => p.class),
      ['divergent', 'fixpoint'],
    );

    // the run's own weights.json as the next run's init file: byte-identical
    writeFile(
      dir,
      'from-results.yaml',
      ['seed: 2', 'architecture: { type: weightwise }', 'population: { size: 2, init: { file: first/weights.json } }', 'experiment: { type: self-train, steps: 0 }', ''].join('\n'),
    );
    const second = runCli(['run', 'from-results.yaml', '--out', 'second'], dir);
    assert.equal(second.status, 0, describeCli(second));
    assert.equal(readFileSync(join(dir, 'second', 'weights.json'), 'utf8'), readFileSync(join(dir, 'first', 'weights.json'), 'utf8'));
  });

  test('a divergent run can be reloaded, and a robustness run takes its fixpoints from a weights.json with non-finite weights', () => {
    writeFile(dir, 'diverge.yaml', ['seed: 3', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 30, lr: 1000 }', ''].join('\n'));
    assert.equal(runCli(['run', 'diverge.yaml', '--out', 'diverged'], dir).status, 0);
    const diverged = readJson<WeightsJson>(join(dir, 'diverged', 'weights.json'));
    assert.ok(
      diverged.particles.every((p) => p.class === 'divergent' && p.weights.some((w) => typeof w === 'string')),
      'divergent weights are strings',
    );

    writeFile(dir, 'reload.yaml', ['seed: 3', 'architecture: { type: weightwise }', 'population: { size: 3, init: { file: diverged/weights.json } }', 'experiment: { type: density }', ''].join('\n'));
    const reloaded = runCli(['run', 'reload.yaml', '--out', 'reloaded'], dir);
    assert.equal(reloaded.status, 0, describeCli(reloaded));
    assert.deepEqual(
      readJson<WeightsJson>(join(dir, 'reloaded', 'weights.json')).particles.map((p) => p.weights),
      diverged.particles.map((p) => p.weights),
    );

    // a fixpoint next to a divergent particle in one file: the reader parses both
    const mixed = { particles: [{ uid: 4, class: 'fixpoint', weights: [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0] }, diverged.particles[0]] };
    writeFileSync(join(dir, 'mixed.json'), JSON.stringify(mixed));
    writeFile(
      dir,
      'robust.yaml',
      ['seed: 3', 'architecture: { type: weightwise }', 'population: { size: 1 }', 'experiment: { type: robustness, fixpoints: { file: mixed.json }, levels: [0.1], trials: 2 }', ''].join('\n'),
    );
    const robust = runCli(['run', 'robust.yaml', '--out', 'robust'], dir);
    assert.equal(robust.status, 0, describeCli(robust));
    assert.match(readFileSync(join(dir, 'robust', 'robustness-fixpoints.csv'), 'utf8'), /\n0,4,file,1,0,/);
  });

  test("each particle's parent uid and birth step are the run's", async () => {
    const srnn = await Srnn.create();
    const yaml = [
      'seed: 5',
      'architecture: { type: weightwise }',
      'population: { size: 6 }',
      'experiment:',
      '  type: soup',
      '  epochs: 4',
      '  interactions: [{ type: melt, rate: 1, per: epoch }, { type: attack, rate: 0.5 }]',
      '  respawn: { divergent: true, zero: true }',
      '',
    ].join('\n');
    const out = join(dir, 'soup');
    const result = await srnn.runIntoDirectory(srnn.createRun(await srnn.loadScenarioText(yaml, 'soup.yaml')), out);
    const { particles } = readJson<WeightsJson>(join(out, 'weights.json'));
    assert.deepEqual(
      particles.map((p) => p.uid),
      Array.from(result.population.uids),
    );
    assert.deepEqual(
      particles.map((p) => p.parent),
      Array.from(result.population.parentUids),
    );
    assert.deepEqual(
      particles.map((p) => p.birth),
      Array.from(result.population.birthSteps),
    );
    assert.ok(
      particles.some((p) => p.parent >= 0 && p.birth > 0),
      'a melt child: born in an epoch, with a parent',
    );
  });
});

describe('scenario.resolved.yaml always reruns', () => {
  test('--seed is checked at the flag: 2^32 − 1 runs and reruns, 2^32 is a usage error (exit 2)', () => {
    const dir = tempDir('srnn-seed-flag-');
    writeFile(dir, 's.yaml', ['architecture: { type: weightwise }', 'population: { size: 2 }', 'experiment: { type: self-train, steps: 1 }', ''].join('\n'));
    for (const bad of ['4294967296', '-1', '1e3', '0x10', '']) {
      const result = runCli(['run', 's.yaml', '--seed', bad, '--out', 'never'], dir);
      assert.equal(result.status, 2, describeCli(result));
      assert.match(result.stderr, /--seed.*expected an integer 0 … 4294967295/);
    }
    assert.equal(runCli(['run', 's.yaml', '--seed', '4294967295', '--out', 'max'], dir).status, 0);
    const again = runCli(['run', join('max', 'scenario.resolved.yaml'), '--out', 'again'], dir);
    assert.equal(again.status, 0, describeCli(again));
    assert.equal(readFileSync(join(dir, 'again', 'weights.json'), 'utf8'), readFileSync(join(dir, 'max', 'weights.json'), 'utf8'));
  });
});

describe('sweep and quick key paths never reach JavaScript prototypes', () => {
  const base = ['architecture: { type: weightwise }', 'population: { size: 2 }', 'experiment: { type: self-train, steps: 1 }'];
  const cases = [
    ['sweep', 'sweep: { __proto__.polluted: [1] }'],
    ['sweep, nested', 'sweep: { experiment.constructor.prototype.polluted: [1] }'],
    ['sweep, prototype', 'sweep: { experiment.prototype: [1] }'],
    ['quick', 'quick: { __proto__.polluted: 1 }'],
    ['quick, constructor', 'quick: { constructor.prototype.polluted: 1 }'],
    ['quick, swept key', 'quick: { sweep.__proto__.polluted: [1] }'],
    ['a __proto__ key', 'quick: { __proto__: { polluted: 1 } }'],
  ];
  for (const [what, line] of cases) {
    test(`${what}: ${line} is a located error and Object.prototype stays as it was`, async () => {
      const srnn = await Srnn.create();
      await assert.rejects(srnn.loadScenarioText([...base, line, ''].join('\n'), 'proto.yaml'), (error) => {
        assert.ok(error instanceof ScenarioError, String(error));
        assert.match(error.message, /^proto\.yaml:4:\d+: .*(is not a scenario key|"__proto__" is not allowed)/);
        return true;
      });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.deepEqual(
        Object.getOwnPropertyNames(Object.prototype).filter((name) => name === 'polluted'),
        [],
      );
    });
  }
});
