import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { validateScenario } from '@srnn/cli';
import { Srnn } from '@srnn/runner';
import { describeCli, leftoverTemporaries, runCli, tempDir, writeFile } from './support/helpers';
import { assertScenarioError } from './support/scenario-error';

/**
 * Everything `srnn run` rejects before its first step, `srnn validate` rejects too, with the same
 * file:line:col and message: both load the scenario through one function (Srnn.loadScenario),
 * which checks every run of the scenario and of its quick version. Each case is run by the real
 * binary — exit 2, that one line on stderr, no results directory — and validated in-process
 * through the function `srnn validate` uses.
 */

interface Case {
  readonly name: string;
  readonly lines: readonly string[];
  /** Where the problem is reported, 1-based. */
  readonly at: readonly [line: number, column: number];
  readonly mentions: readonly string[];
  /** Files the scenario refers to, written beside it: name → content. */
  readonly files?: Readonly<Record<string, string>>;
}

const WEIGHTWISE = 'architecture: { type: weightwise }';
const SELF_TRAIN = 'experiment: { type: self-train, steps: 2 }';
const HAND_MADE = [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0];

const CASES: readonly Case[] = [
  {
    name: 'a wrong number of init.weights vectors',
    lines: ['seed: 1', WEIGHTWISE, 'population:', '  size: 3', '  init: { weights: [[1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]] }', SELF_TRAIN],
    at: [5, 20],
    mentions: ['population.init.weights', 'expected 3 weight vectors', 'got 1'],
  },
  {
    name: 'an init.weights vector of the wrong length',
    lines: ['seed: 1', WEIGHTWISE, 'population:', '  size: 2', '  init:', '    weights:', `      - ${JSON.stringify(HAND_MADE)}`, '      - [1, 2, 3]', SELF_TRAIN],
    at: [8, 9],
    mentions: ['population.init.weights.1', 'expected 14 numbers'],
  },
  {
    name: 'a missing init.file',
    lines: ['seed: 1', WEIGHTWISE, 'population:', '  size: 3', '  init: { file: missing.json }', SELF_TRAIN],
    at: [5, 17],
    mentions: ['population.init.file', 'missing.json', 'no such file'],
  },
  {
    name: 'an init.file with too few particles',
    files: {
      'two.json': JSON.stringify({
        particles: [
          { uid: 0, weights: HAND_MADE },
          { uid: 1, weights: HAND_MADE },
        ],
      }),
    },
    lines: ['seed: 1', WEIGHTWISE, 'population:', '  size: 3', '  init: { file: two.json }', SELF_TRAIN],
    at: [5, 17],
    mentions: ['population.init.file', 'expected 3 weight vectors', 'got 2'],
  },
  {
    name: 'an unknown init scheme',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 3, init: bogus }', SELF_TRAIN],
    at: [3, 30],
    mentions: ['unknown init "bogus"', 'default', 'glorot-uniform'],
  },
  {
    name: 'a soup too small for a per: epoch partner',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 1 }', 'experiment:', '  type: soup', '  epochs: 2', '  interactions:', '    - { type: attack, per: epoch }'],
    at: [8, 28],
    mentions: ['experiment.interactions.0.per', 'population.size must be at least 2'],
  },
  {
    name: 'soup clones that need more slots than the population has',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 5 }', 'experiment:', '  type: soup', '  epochs: 1', '  interactions: []', '  clones: { parents: hand-made, take: 2, count: 3, levels: [0] }'],
    at: [3, 21],
    mentions: ['population.size ≥ 6', '2 parents × 1 levels × 3 clones', 'it is 5'],
  },
  {
    name: 'a respawn init scheme the architecture does not have',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 4 }', 'experiment:', '  type: soup', '  epochs: 1', '  interactions: []', '  respawn: { zero: true, init: nope }'],
    at: [8, 32],
    mentions: ['experiment.respawn.init', 'unknown init "nope"'],
  },
  {
    name: 'soup clones whose parents file has fewer fixpoints than take',
    files: {
      'parents.json': JSON.stringify({
        particles: [
          { uid: 7, class: 'fixpoint', weights: HAND_MADE },
          { uid: 8, class: 'other', weights: HAND_MADE },
        ],
      }),
    },
    lines: [
      'seed: 1',
      WEIGHTWISE,
      'population: { size: 8 }',
      'experiment:',
      '  type: soup',
      '  epochs: 1',
      '  interactions: []',
      '  clones: { parents: { file: parents.json }, take: 2, count: 1, levels: [0] }',
    ],
    at: [8, 30],
    mentions: ['experiment.clones.parents.file', '1 particle classified "fixpoint", 2 needed'],
  },
  {
    name: 'a hand-made fixpoint for a network it is not defined for',
    lines: ['seed: 1', 'architecture: { type: weightwise, width: 3 }', 'population: { size: 1 }', 'experiment: { type: robustness, fixpoints: hand-made, levels: [0.1], trials: 2 }'],
    at: [4, 44],
    mentions: ['experiment.fixpoints', 'width 2, depth 2, without bias'],
  },
  {
    name: 'a hand-made fixpoint that the classification does not call a fixpoint',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 1 }', 'experiment: { type: robustness, levels: [0.1], trials: 2 }', 'classify: { epsilon: 1.5 }'],
    at: [4, 13],
    mentions: ['experiment.fixpoints', 'classified zero, not fixpoint'],
  },
  {
    name: 'a missing fixpoints file',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 1 }', 'experiment: { type: interpolation, fixpoints: { file: none.json }, steps: 1 }'],
    at: [4, 55],
    mentions: ['experiment.fixpoints.file', 'none.json', 'no such file'],
  },
  {
    name: 'a fixpoints file with vectors of another network',
    files: { 'short.json': JSON.stringify({ particles: [{ uid: 3, class: 'fixpoint', weights: [1, 2, 3] }] }) },
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 1 }', 'experiment: { type: robustness, fixpoints: { file: short.json }, trials: 1 }'],
    at: [4, 52],
    mentions: ['experiment.fixpoints.file', 'particle 3 does not have 14 numeric weights'],
  },
  {
    name: 'depth: 2147483648',
    lines: ['seed: 1', 'architecture: { type: weightwise, depth: 2147483648 }', 'population: { size: 3 }', SELF_TRAIN],
    at: [2, 15],
    mentions: ['architecture', 'depth 2147483648', "srnn's limit of 16 777 216 (2^24) per network"],
  },
  {
    name: 'width: 100000',
    lines: ['seed: 1', 'architecture: { type: recurrent, width: 100000 }', 'population: { size: 3 }', SELF_TRAIN],
    at: [2, 15],
    mentions: ['architecture', 'width 100000', "srnn's limit of 16 777 216 (2^24)"],
  },
  {
    name: 'a recurrent net whose training through time keeps too many activations',
    lines: ['seed: 1', 'architecture: { type: recurrent, width: 1000, depth: 3 }', 'population: { size: 3 }', SELF_TRAIN],
    at: [2, 15],
    mentions: ['architecture', '3 001 units × 5 002 002 steps', "srnn's limit of 268 435 456 (2^28)"],
  },
  {
    name: 'clones whose trajectory snapshots do not fit',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 100 }', 'experiment: { type: clones, parentSteps: 10, steps: 100000, snapshotEvery: 1 }'],
    at: [4, 76],
    mentions: ['experiment.snapshotEvery', 'trajectory rows (parents and clones × snapshots)', "srnn's limit of 268 435 456 (2^28)"],
  },
  {
    name: 'fft coefficients whose Fourier tables do not fit',
    lines: ['seed: 1', 'architecture: { type: fft, coefficients: 40000 }', 'population: { size: 3 }', SELF_TRAIN],
    at: [2, 15],
    mentions: ['architecture', '40 000 coefficients', "srnn's limit of 268 435 456 (2^28)"],
  },
  {
    name: 'aggregates too many for the weight limit',
    lines: ['seed: 1', 'architecture: { type: aggregating, aggregates: 5000000 }', 'population: { size: 3 }', SELF_TRAIN],
    at: [2, 15],
    mentions: ['architecture', "srnn's limit of 16 777 216 (2^24) per network"],
  },
  {
    name: 'size: 2147483648',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 2147483648 }', SELF_TRAIN],
    at: [3, 21],
    mentions: ['population.size', '2 147 483 648 particles × 14 weights', "srnn's limit of 268 435 456 (2^28)"],
  },
  {
    name: 'replicates: 9007199254740991',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 3 }', SELF_TRAIN, 'replicates: 9007199254740991'],
    at: [5, 13],
    mentions: ['replicates', '9 007 199 254 740 991 runs', "srnn's limit of 100 000"],
  },
  {
    name: 'sweep combinations × replicates over the run limit',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 3 }', SELF_TRAIN, `sweep: { experiment.lr: [${Array.from({ length: 400 }, (_, i) => (i + 1) / 1000).join(', ')}] }`, 'replicates: 300'],
    at: [5, 8],
    mentions: ['sweep', '120 000 runs', "srnn's limit of 100 000"],
  },
  {
    name: 'trials whose weights do not fit',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 1 }', 'experiment: { type: robustness, levels: [0.1, 0.01], trials: 100000000 }'],
    at: [4, 62],
    mentions: ['experiment.trials', '200 000 000 trials', "srnn's limit of 268 435 456"],
  },
  {
    name: 'a sweep combination whose init does not fit the population',
    lines: ['seed: 1', WEIGHTWISE, 'population:', `  init: { weights: [${JSON.stringify(HAND_MADE)}, ${JSON.stringify(HAND_MADE)}] }`, '  size: 2', SELF_TRAIN, 'sweep:', '  population.size: [2, 3]'],
    at: [8, 24],
    mentions: ['sweep combination population.size=3', 'expected 3 weight vectors', 'got 2'],
  },
  {
    name: 'a quick version with a soup too small for per: epoch',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 4 }', 'experiment: { type: soup, epochs: 2, interactions: [{ type: melt, per: epoch }] }', 'quick: { population.size: 1 }'],
    at: [5, 8],
    mentions: ['quick: ', 'experiment.interactions.0.per', 'population.size must be at least 2'],
  },
  {
    name: 'an undefined alias',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: *size }', SELF_TRAIN],
    at: [3, 21],
    mentions: ['invalid YAML', 'alias *size names no anchor'],
  },
  {
    name: 'more alias expansions than yaml allows',
    lines: ['seed: 1', 'architecture: &a { type: weightwise }', 'population: { size: 3 }', SELF_TRAIN, `description: [${Array.from({ length: 120 }, () => '*a').join(', ')}]`],
    at: [5, 15],
    mentions: ['invalid YAML', 'srnn allows 100 alias expansions'],
  },
  {
    name: 'a sweep key that reaches for Object.prototype',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 3 }', SELF_TRAIN, 'sweep: { __proto__.polluted: [1] }'],
    at: [5, 10],
    mentions: ['sweep key "__proto__.polluted"', '"__proto__" is not a scenario key'],
  },
  {
    name: 'a quick key that reaches for a constructor',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 3 }', SELF_TRAIN, 'quick: { constructor.prototype.polluted: 1 }'],
    at: [5, 10],
    mentions: ['quick key "constructor.prototype.polluted"', '"constructor" is not a scenario key'],
  },
  {
    name: 'a duplicate key',
    lines: ['seed: 1', WEIGHTWISE, 'population: { size: 3 }', 'seed: 2', SELF_TRAIN],
    at: [4, 1],
    mentions: ['invalid YAML', 'Map keys must be unique', '"seed"'],
  },
];

describe('srnn validate reports every error srnn run reports before its first step, at the same place', () => {
  let srnn: Srnn;
  let dir: string;

  before(async () => {
    srnn = await Srnn.create();
    dir = tempDir('srnn-validate-run-');
  });

  CASES.forEach((c, k) => {
    test(c.name, async () => {
      const caseDir = join(dir, `case-${k}`);
      mkdirSync(caseDir);
      const file = writeFile(caseDir, 'scenario.yaml', c.lines.join('\n') + '\n');
      for (const [name, content] of Object.entries(c.files ?? {})) writeFileSync(join(caseDir, name), content);

      const error = await validateScenario(srnn, file).then(
        (line) => assert.fail(`validate said: ${line}`),
        (e: unknown) => e,
      );
      assertScenarioError(error, file, { line: c.at[0], column: c.at[1], mentions: c.mentions });

      const out = join(caseDir, 'results');
      const run = runCli(['run', file, '--out', out, '--workers', '1'], caseDir);
      assert.equal(run.status, 2, describeCli(run));
      assert.equal(run.stderr, `srnn: ${error.message}\n`, 'run reports exactly what validate reports, and nothing ran (no progress)');
      assert.equal(existsSync(out), false, 'no results directory');
      assert.deepEqual(leftoverTemporaries(caseDir), [], 'no temporary directory');
    });
  });

  test('validate through the binary prints the same line as in-process (exit 2)', () => {
    const caseDir = join(dir, 'cli');
    mkdirSync(caseDir);
    writeFile(caseDir, 'scenario.yaml', CASES[0].lines.join('\n') + '\n');
    const result = runCli(['validate', 'scenario.yaml'], caseDir);
    assert.equal(result.status, 2, describeCli(result));
    assert.match(result.stderr, /^srnn: scenario\.yaml:5:20: population\.init\.weights: expected 3 weight vectors \(population\.size\), got 1\n$/);
  });
});
