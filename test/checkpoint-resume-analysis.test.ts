import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { assertSameResults, resume, runAndKill, runCliAsync, tearNextCheckpoint } from './support/checkpoints';
import { tempDir, writeFile } from './support/helpers';

/**
 * The analysis experiments (robustness, clones, interpolation) with checkpoints, killed with
 * SIGKILL at a random checkpoint after their first — in a fixpoint source's or the parents'
 * self-training, or in the experiment's own phase — and `srnn resume`d, give results directories identical to an
 * uninterrupted run's, file by file (timing fields aside); one resumes from the leftovers of a
 * checkpoint write torn by the kill. (The plugins' *-checkpoint tests resume from every checkpoint
 * in process.)
 */

const ROBUSTNESS = `seed: 9
architecture: { type: weightwise }
population: { size: 10 }
experiment: { type: robustness, fixpoints: hand-made, levels: [1.0e-7, 1.0e-10], trials: 100, maxSteps: 40 }
checkpoint: { every: 2 }
output: { events: true }
`;

const CLONES = `seed: 10
architecture: { type: weightwise }
population: { size: 30 }
experiment: { type: clones, parentSteps: 200, steps: 200, lr: 0.2, momentum: 0.5, clones: 4, levels: [1.0e-2, 1.0e-5], snapshotEvery: 25 }
checkpoint: { every: 20 }
`;

const INTERPOLATION = `seed: 11
architecture: { type: weightwise }
population: { size: 20 }
experiment: { type: interpolation, fixpoints: { train: { steps: 200, lr: 0.2, momentum: 0.5 } }, pairs: 30, points: 10, steps: 200, momentum: 0.3, batch: 1 }
checkpoint: { every: 20 }
`;

describe('checkpoints of the analysis experiments: killed (SIGKILL) after a checkpoint and resumed, each ends as an uninterrupted run', { concurrency: true }, () => {
  let dir: string;
  const kinds = [
    // every trial has ended after about 30 steps (the run ends there)
    { name: 'robustness', text: ROBUSTNESS, every: 2, units: 24, torn: false },
    { name: 'clones', text: CLONES, every: 20, units: 400, torn: true },
    { name: 'interpolation', text: INTERPOLATION, every: 20, units: 400, torn: false },
  ];

  before(async () => {
    dir = tempDir('srnn-checkpoint-analysis-');
    for (const kind of kinds) writeFile(dir, `${kind.name}.yaml`, kind.text);
    const results = await Promise.all(kinds.map((kind) => runCliAsync(['run', `${kind.name}.yaml`, '--out', `${kind.name}-full`], dir)));
    for (const result of results) assert.equal(result.status, 0, result.stderr);
  });

  for (const kind of kinds) {
    test(`${kind.name}: killed at a random checkpoint${kind.torn ? ' (and in the next checkpoint write)' : ''}, resumed, every file identical`, async () => {
      const out = `${kind.name}-cut`;
      const checkpoints = kind.units / kind.every;
      // a loaded machine may finish the run before the kill: then again, earlier
      for (let attempt = 0; attempt < 3; attempt++) {
        const target = kind.every * (1 + Math.floor(Math.random() * (checkpoints - 2) * 0.5 ** attempt));
        const { killedAt, finished } = await runAndKill(dir, `${kind.name}.yaml`, out, target);
        if (finished) continue;
        assert.ok(killedAt >= kind.every, `killed after checkpoint ${killedAt}`);
        if (kind.torn) tearNextCheckpoint(join(dir, `${out}.partial`));
        await resume(dir, out);
        assertSameResults(join(dir, `${kind.name}-full`), join(dir, out));
        return;
      }
      assert.fail('every run ended before it was killed');
    });
  }

  test('validate names their unit', async () => {
    for (const kind of kinds) assert.match((await runCliAsync(['validate', `${kind.name}.yaml`], dir)).stdout, new RegExp(`; checkpoint every ${kind.every} steps\\n$`));
  });
});
