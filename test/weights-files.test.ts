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

  test('a population of more than 2^20 weights writes weights.f32 with weights.json as its index, and reads it back', () => {
    const dir = tempDir('srnn-weights-');
    const size = 80_000; // × 14 weights > 2^20
    writeFile(dir, 'large.yaml', scenario(size, 'default', 1));
    const result = runCli(['run', 'large.yaml', '--out', 'out'], dir);
    assert.equal(result.status, 0, describeCli(result));
    const index = readJson<{ format: string; weights: string; size: number; weightCount: number; particles: { uid: number; class: string; weights?: unknown }[] }>(join(dir, 'out', 'weights.json'));
    assert.deepEqual([index.format, index.weights, index.size, index.weightCount], ['srnn-weights/1', 'weights.f32', size, 14]);
    assert.equal(index.particles.length, size);
    assert.equal(index.particles[7].uid, 7);
    assert.equal(index.particles[7].weights, undefined);
    const binary = readFileSync(join(dir, 'out', 'weights.f32'));
    assert.equal(binary.length, size * 14 * 4);
    writeFile(dir, 'again.yaml', scenario(size, '{ file: out/weights.json }', 0));
    const again = runCli(['run', 'again.yaml', '--out', 'again'], dir);
    assert.equal(again.status, 0, describeCli(again));
    assert.ok(readFileSync(join(dir, 'again', 'weights.f32')).equals(binary), 'the same float32s after a round trip');
    // a truncated weights.f32 is a clear init error
    writeFileSync(join(dir, 'out', 'weights.f32'), binary.subarray(0, 100));
    const broken = runCli(['run', 'again.yaml', '--out', 'broken'], dir);
    assert.equal(broken.status, 2, describeCli(broken));
    assert.match(broken.stderr, /weights\.f32: expected 4480000 bytes/);
  });
});
