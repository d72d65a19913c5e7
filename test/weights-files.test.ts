import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { describeCli, readJson, runCli, tempDir, writeFile, type WeightsJson } from './support/helpers';

const scenario = (size: number, init = 'default', steps = 2) =>
  [`name: w${size}`, 'seed: 3', 'architecture: { type: weightwise }', `population: { size: ${size}, init: ${init} }`, `experiment: { type: self-train, steps: ${steps}, lr: 0.04 }`, ''].join('\n');

describe('weights files', () => {
  test('weights.json writes each weight as the shortest decimal that reads back to the same float32', () => {
    const dir = tempDir('srnn-weights-');
    writeFile(dir, 'small.yaml', scenario(20));
    const result = runCli(['run', 'small.yaml', '--out', 'out'], dir);
    assert.equal(result.status, 0, describeCli(result));
    const text = readFileSync(join(dir, 'out', 'weights.json'), 'utf8');
    const numbers = text.match(/-?\d+\.\d+(e[+-]\d+)?/g) ?? [];
    assert.ok(numbers.length >= 20 * 14 - 20, 'weights as decimals');
    // no float32 needs more than 9 significant digits (the float64 form had up to 17)
    for (const n of numbers) assert.ok(n.replace(/^-?0?\.?0*|\.|e.*$/g, '').length <= 9, n);
    assert.ok(!existsSync(join(dir, 'out', 'weights.f32')), 'small populations write JSON only');
    // read back as an init file, the population is bit for bit the same: a run of 0 steps rewrites the file unchanged
    writeFile(dir, 'again.yaml', scenario(20, '{ file: out/weights.json }', 0));
    assert.equal(runCli(['run', 'again.yaml', '--out', 'again'], dir).status, 0);
    const weightsOf = (path: string) => readJson<WeightsJson>(path).particles.map((p) => p.weights);
    assert.deepEqual(weightsOf(join(dir, 'again', 'weights.json')), weightsOf(join(dir, 'out', 'weights.json')));
  });

  test('a population of more than 2^20 weights writes weights.f32 and particles.i32 with weights.json as their index, and reads them back', () => {
    const dir = tempDir('srnn-weights-');
    const size = 80_000; // × 14 weights > 2^20
    writeFile(dir, 'large.yaml', scenario(size, 'default', 1));
    const result = runCli(['run', 'large.yaml', '--out', 'out'], dir);
    assert.equal(result.status, 0, describeCli(result));
    const index = readJson<{ format: string; weights: string; particles: string; size: number; weightCount: number; classes: string[] }>(join(dir, 'out', 'weights.json'));
    assert.deepEqual(index, {
      format: 'srnn-weights/2',
      weights: 'weights.f32',
      particles: 'particles.i32',
      size,
      weightCount: 14,
      classes: ['divergent', 'zero', 'fixpoint', 'second-order', 'other'],
    });
    const binary = readFileSync(join(dir, 'out', 'weights.f32'));
    assert.equal(binary.length, size * 14 * 4);
    const table = readFileSync(join(dir, 'out', 'particles.i32'));
    assert.equal(table.length, size * 16);
    // particle 7: uid 7, no parent, born at step 0, a class of the census
    assert.deepEqual(
      [0, 4, 8].map((at) => table.readInt32LE(7 * 16 + at)),
      [7, -1, 0],
    );
    const codes = Array.from({ length: size }, (_, i) => table.readInt32LE(i * 16 + 12));
    const census = readJson<{ census: Record<string, number> }>(join(dir, 'out', 'summary.json')).census;
    for (const [code, name] of index.classes.entries()) assert.equal(codes.filter((c) => c === code).length, census[name], name);
    writeFile(dir, 'again.yaml', scenario(size, '{ file: out/weights.json }', 0));
    const again = runCli(['run', 'again.yaml', '--out', 'again'], dir);
    assert.equal(again.status, 0, describeCli(again));
    assert.ok(readFileSync(join(dir, 'again', 'weights.f32')).equals(binary), 'the same float32s after a round trip');
    assert.ok(readFileSync(join(dir, 'again', 'particles.i32')).equals(table), 'the same particles after a round trip');
    // truncated files are clear init errors
    writeFileSync(join(dir, 'out', 'particles.i32'), table.subarray(0, 100));
    const brokenTable = runCli(['run', 'again.yaml', '--out', 'broken-table'], dir);
    assert.equal(brokenTable.status, 2, describeCli(brokenTable));
    assert.match(brokenTable.stderr, /particles\.i32: expected 1280000 bytes \(80000 × 4 int32\)/);
    writeFileSync(join(dir, 'out', 'particles.i32'), table);
    writeFileSync(join(dir, 'out', 'weights.f32'), binary.subarray(0, 100));
    const broken = runCli(['run', 'again.yaml', '--out', 'broken'], dir);
    assert.equal(broken.status, 2, describeCli(broken));
    assert.match(broken.stderr, /weights\.f32: expected 4480000 bytes/);
  });

  test('an index of srnn 0.1.0 (srnn-weights/1: a JSON record per particle) is still read', () => {
    const dir = tempDir('srnn-weights-');
    const size = 3;
    const weights = Float32Array.from({ length: size * 14 }, (_, k) => (k % 7) / 8 - 0.4);
    writeFileSync(join(dir, 'weights.f32'), new Uint8Array(weights.buffer));
    const particles = Array.from({ length: size }, (_, uid) => ({ uid, parent: -1, birth: 0, class: 'other' }));
    writeFile(dir, 'weights.json', JSON.stringify({ format: 'srnn-weights/1', weights: 'weights.f32', size, weightCount: 14, particles }));
    writeFile(dir, 'again.yaml', scenario(size, '{ file: weights.json }', 0));
    const again = runCli(['run', 'again.yaml', '--out', 'again'], dir);
    assert.equal(again.status, 0, describeCli(again));
    const read = readJson<WeightsJson>(join(dir, 'again', 'weights.json')).particles.map((p) => p.weights);
    assert.deepEqual(
      read.flat().map((x) => Math.fround(Number(x))),
      Array.from(weights),
    );
  });
});
