import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { describeCli, readJson, runCli, tempDir, writeFile, type CliResult, type WeightsJson } from './support/helpers';

/** A soup with clones (PAPER.md §4.8) through the CLI: the clone bookkeeping on tiny seeded runs. */

interface CloneRow {
  clone: number;
  parent: number;
  parent_uid: number;
  parent_origin: string;
  level: number;
  clone_level: number;
  mae_before: number;
  mae_after: number;
  mse_before: number;
  mse_after: number;
  mim_before: number;
  mim_after: number;
  movement: string;
  start_class: string;
  class: string;
  alive: boolean;
}

const HAND_MADE = [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0];
/** The hand-made fixpoint with its output layer scaled: v = (1, 0, 0, 0) still, another fixpoint. */
const SCALED = [2, 0, 0, 0, 0, 0, 0, 0, 0.5, 0, 0, 0, 1, 0];

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

describe('a soup with clones through the CLI', () => {
  let dir: string;
  before(() => {
    dir = tempDir('srnn-soup-clones-');
  });

  it('hand-made parents: rows = parents × levels × count; a clone with noise 0 stays at distance 0; tables and figures are written', () => {
    writeFile(
      dir,
      'hand-made.yaml',
      [
        'seed: 3',
        'architecture: { type: weightwise }',
        'population: { size: 12 }',
        'experiment:',
        '  type: soup',
        '  epochs: 20',
        '  clones: { parents: hand-made, take: 2, count: 3, levels: [1.0e-3, 0] }',
        '  interactions: [{ type: self-train, steps: 10 }]',
        '  snapshotEvery: 5',
        '',
      ].join('\n'),
    );
    assertExit(runCli(['run', 'hand-made.yaml', '--out', 'hand-made'], dir), 0);
    const out = join(dir, 'hand-made');
    const rows = readJson<CloneRow[]>(join(out, 'soup-clones.json'));
    assert.equal(rows.length, 2 * 2 * 3);
    assert.equal(readFileSync(join(out, 'soup-clones.csv'), 'utf8').trimEnd().split('\n').length, 1 + 12);
    assert.deepEqual(
      rows.map((r) => [r.parent, r.level]),
      [0, 1].flatMap((p) => [1e-3, 1e-3, 1e-3, 0, 0, 0].map((level) => [p, level])),
    );
    for (const r of rows.filter((r) => r.level === 0)) {
      assert.deepEqual([r.clone_level, r.mae_before, r.mae_after, r.mse_before, r.mse_after, r.mim_before, r.mim_after], [0, 0, 0, 0, 0, 0, 0]);
      assert.deepEqual([r.movement, r.start_class, r.class, r.alive], ['stationary', 'fixpoint', 'fixpoint', true]);
    }
    for (const r of rows.filter((r) => r.level > 0)) assert.ok(r.mae_before > 0 && r.mae_before <= r.clone_level, 'noise moved every clone at 1e-3');
    const levels = readJson<Record<string, number>[]>(join(out, 'soup-clones-levels.json'));
    assert.deepEqual(
      levels.map((l) => [l.level, l.clones, l.approaching + l.distancing + l.stationary]),
      [
        [1e-3, 6, 6],
        [0, 6, 6],
      ],
    );
    assert.equal(levels[1].stationary, 6);
    const weights = readJson<WeightsJson>(join(out, 'weights.json'));
    assert.deepEqual(
      weights.particles.slice(0, 12).map((p) => p.uid),
      rows.map((r) => r.clone),
      'clones in slots 0 … 11, in table order',
    );
    for (const name of ['soup-clones', 'soup-trajectories', 'census-over-time']) assert.ok(existsSync(join(out, `${name}.png`)), name);
  });

  it('parents from a weights.json: its fixpoints, in file order, with their uids', () => {
    writeFile(
      dir,
      'parents.yaml',
      [
        'seed: 1',
        'architecture: { type: weightwise }',
        `population: { size: 3, init: { weights: [${JSON.stringify(SCALED)}, [0.3, 0.1, 0, 0, 0, 0, 0, 0, 0.2, 0, 0, 0, 0.5, 0], ${JSON.stringify(HAND_MADE)}] } }`,
        'experiment: { type: self-train, steps: 0 }',
        '',
      ].join('\n'),
    );
    assertExit(runCli(['run', 'parents.yaml', '--out', 'parents'], dir), 0);
    const parents = readJson<WeightsJson>(join(dir, 'parents', 'weights.json'));
    assert.deepEqual(
      parents.particles.map((p) => p.class),
      ['fixpoint', 'other', 'fixpoint'],
    );

    writeFile(
      dir,
      'from-file.yaml',
      [
        'seed: 2',
        'architecture: { type: weightwise }',
        'population: { size: 4 }',
        'experiment:',
        '  type: soup',
        '  epochs: 3',
        `  clones: { parents: { file: ${JSON.stringify(join(dir, 'parents', 'weights.json'))} }, take: 2, count: 2, levels: [0] }`,
        '  interactions: [{ type: attack, rate: 0 }]',
        '',
      ].join('\n'),
    );
    assertExit(runCli(['run', 'from-file.yaml', '--out', 'from-file'], dir), 0);
    const rows = readJson<CloneRow[]>(join(dir, 'from-file', 'soup-clones.json'));
    assert.deepEqual(
      rows.map((r) => [r.parent, r.parent_uid, r.parent_origin]),
      [
        [0, 0, 'file'],
        [0, 0, 'file'],
        [1, 2, 'file'],
        [1, 2, 'file'],
      ],
    );
    const weights = readJson<WeightsJson>(join(dir, 'from-file', 'weights.json'));
    assert.deepEqual(
      weights.particles.map((p) => p.weights),
      [SCALED, SCALED, HAND_MADE, HAND_MADE],
    );
    assert.ok(rows.every((r) => r.movement === 'stationary'));
  });

  it('scenarios/paper/soup-clones.yaml: 3 parents × 5 clones × 3 levels fill the population of 45', () => {
    const scenario = parseYaml(readFileSync(join(__dirname, '..', '..', 'scenarios', 'paper', 'soup-clones.yaml'), 'utf8'));
    const { take, count, levels } = scenario.experiment.clones;
    assert.deepEqual([take, count, levels], [3, 5, [1e-2, 1e-3, 1e-4]]);
    assert.equal(scenario.population.size, take * count * levels.length);
    assert.equal(scenario.experiment.epochs * scenario.experiment.interactions[1].steps, 1500, '1 500 self-training steps in the soup');
    assert.equal(scenario.experiment.clones.parents.train.steps, 1500);
  });

  it('a population too small for the clones is an input error located at population.size', () => {
    writeFile(
      dir,
      'small.yaml',
      [
        'architecture: { type: weightwise }',
        'population: { size: 3 }',
        'experiment: { type: soup, epochs: 1, clones: { parents: hand-made, count: 2, levels: [0, 1.0e-3] }, interactions: [] }',
        '',
      ].join('\n'),
    );
    const result = runCli(['run', 'small.yaml', '--out', 'small'], dir);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /small\.yaml:2:\d+: .*population\.size ≥ 4 \(1 parents × 2 levels × 2 clones\); it is 3/);
  });
});
