import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunEvent } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { describeCli, readJson, runCli, tempDir, writeFile, type CliResult, type WeightsJson } from './support/helpers';

const P = 12;
const W = 14;
const EPOCHS = 9;

const SOUP = `
name: soup
seed: 21
architecture: { type: weightwise }
population: { size: ${P} }
experiment:
  type: soup
  epochs: ${EPOCHS}
  censusEvery: 3
  snapshotEvery: 4
  interactions:
    - { type: attack, rate: 0.2 }
    - { type: learn-from, rate: 0.2, severity: 2 }
    - { type: melt, rate: 0.5, per: epoch }
    - { type: self-train, steps: 5, lr: 0.02 }
  respawn: { divergent: true, zero: true }
`;

function assertExit(result: CliResult, status: number): void {
  assert.equal(result.status, status, describeCli(result));
}

interface SnapshotsJson {
  size: number;
  weightCount: number;
  steps: number[];
  count: number;
  snapshots: { step: number; uids: number[]; classes: number[] }[];
}

describe('a soup run through the CLI', () => {
  let dir: string;
  let out: string;

  before(() => {
    dir = tempDir();
    writeFile(dir, 'soup.yaml', SOUP);
    assertExit(runCli(['run', 'soup.yaml', '--out', 'results/soup', '--events'], dir), 0);
    out = join(dir, 'results', 'soup');
  });

  test('writes snapshots.f32 of snapshots × P × W float32, the last one the final weights', () => {
    const index = readJson<SnapshotsJson>(join(out, 'snapshots.json'));
    assert.deepEqual(index.steps, [0, 4, 8, 9]);
    assert.deepEqual([index.size, index.weightCount, index.count], [P, W, 4]);
    const bytes = readFileSync(join(out, 'snapshots.f32'));
    assert.equal(bytes.length, 4 * P * W * 4);
    const last = new Float32Array(bytes.buffer, bytes.byteOffset + 3 * P * W * 4, P * W);
    const weights = readJson<WeightsJson>(join(out, 'weights.json'));
    assert.deepEqual(
      weights.particles.map((p) => p.uid),
      index.snapshots[3].uids,
    );
    assert.deepEqual(
      Array.from(last),
      // weights.json writes each float32 as its shortest decimal, which reads back to the same float32
      weights.particles.flatMap((p) => p.weights.map((w) => Math.fround(Number(w)))),
    );
  });

  test('writes one interactions event per epoch to events.jsonl, and snapshots without their weights', () => {
    const lines = readFileSync(join(out, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string } & Record<string, unknown>);
    const epochs = lines.filter((e) => e.kind === 'interactions') as unknown as { step: number; codes: string[]; interactions: { code: number[] } }[];
    assert.deepEqual(
      epochs.map((e) => e.step),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(epochs[0].codes, ['attack', 'learn-from', 'melt', 'self-train', 'respawn-divergent', 'respawn-zero']);
    for (const e of epochs) assert.equal(e.interactions.code.filter((c) => c === 3).length, P, 'every particle self-trains');
    const snapshots = lines.filter((e) => e.kind === 'snapshot');
    assert.deepEqual(
      snapshots.map((e) => [e.step, e.population]),
      [
        [0, undefined],
        [4, undefined],
        [8, undefined],
        [9, undefined],
      ],
    );
  });

  test("scenario.resolved.yaml (learn-from completed with self-train's lr) reruns to the same weights and snapshots", () => {
    const resolved = readFileSync(join(out, 'scenario.resolved.yaml'), 'utf8');
    assert.match(resolved, /type: learn-from\n\s+rate: 0.2\n\s+per: particle\n\s+severity: 2\n\s+lr: 0.02\n\s+momentum: 0\n\s+batch: full/);
    assertExit(runCli(['run', join(out, 'scenario.resolved.yaml'), '--out', 'results/again'], dir), 0);
    const again = join(dir, 'results', 'again');
    assert.deepEqual(readJson(join(again, 'weights.json')), readJson(join(out, 'weights.json')));
    assert.ok(readFileSync(join(again, 'snapshots.f32')).equals(readFileSync(join(out, 'snapshots.f32'))));
  });
});

describe('soup scenarios are checked against the registered interactions', () => {
  let dir: string;
  before(() => {
    dir = tempDir();
  });

  test('an unknown interaction type is located and the registered ones are listed', () => {
    writeFile(dir, 'bad.yaml', SOUP.replace('type: attack,', 'type: atack,'));
    const result = runCli(['validate', 'bad.yaml'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /bad\.yaml:12:\d+: experiment\.interactions\.0\.type: unknown type; expected one of: .*attack/);
    for (const type of ['learn-from', 'melt', 'self-train']) assert.match(result.stderr, new RegExp(type));
  });

  test('an option an interaction does not have is located and its options are listed', () => {
    writeFile(dir, 'bad.yaml', SOUP.replace('severity: 2', 'severty: 2'));
    const result = runCli(['validate', 'bad.yaml'], dir);
    assertExit(result, 2);
    assert.match(result.stderr, /bad\.yaml:13:\d+: unknown key "severty" in experiment\.interactions\.1; expected one of: type, rate, per, severity, lr, momentum, batch/);
  });

  test('srnn plugins lists the four interactions', () => {
    const result = runCli(['plugins'], dir);
    assertExit(result, 0);
    const section = /^interactions:\n((?: {2}.*\n?)*)/m.exec(result.stdout);
    assert.ok(section, result.stdout);
    assert.deepEqual(
      section[1]
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[0])
        .sort(),
      ['attack', 'learn-from', 'melt', 'self-train'],
    );
  });
});

test('the README example: a subscriber follows the fixpoint share of a running soup every 10 epochs', async () => {
  const srnn = await Srnn.create();
  const loaded = await srnn.loadScenarioText(
    [
      'seed: 1',
      'architecture: { type: weightwise }',
      'population: { size: 50 }',
      'experiment: { type: soup, epochs: 30, censusEvery: 10, interactions: [ { type: attack }, { type: self-train, steps: 20 } ] }',
    ].join('\n'),
    'readme.yaml',
  );
  const run = srnn.createRun(loaded);
  const shares: [number, number][] = [];
  run.events$.subscribe((event: RunEvent) => {
    if (event.kind === 'census') shares.push([event.step, event.census.fixpoint / loaded.scenario.population.size]);
  });
  await run.execute();
  assert.deepEqual(
    shares.map(([step]) => step),
    [0, 10, 20, 30],
  );
  for (const [, share] of shares) assert.ok(share >= 0 && share <= 1);
});
