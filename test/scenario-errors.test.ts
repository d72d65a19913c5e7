import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Srnn } from '@srnn/runner';
import { tempDir, writeFile } from './support/helpers';
import { assertScenarioError, type ExpectedScenarioError } from './support/scenario-error';

/**
 * Bad scenario input must surface as a ScenarioError whose message starts with
 * `<file>:<line>:<col>:` pointing at the offending spot. Line and column are 1-based.
 */

/** For assert.rejects: the error is the expected ScenarioError. */
function checkError(error: unknown, file: string, expected: ExpectedScenarioError): true {
  assertScenarioError(error, file, expected);
  return true;
}

describe('scenario errors are located as file:line:col', () => {
  let srnn: Srnn;
  let dir: string;

  before(async () => {
    srnn = await Srnn.create();
    dir = tempDir('srnn-scenario-errors-');
  });

  /** Writes the scenario and expects loadScenario to reject with the given location. */
  async function expectLoadError(name: string, lines: readonly string[], expected: ExpectedScenarioError, options?: { allowPlugins: boolean }): Promise<void> {
    const file = writeFile(dir, name, lines.join('\n') + '\n');
    await assert.rejects(srnn.loadScenario(file, options), (error) => checkError(error, file, expected));
  }

  /**
   * For what a run meets before its first step (init files and vectors, init schemes): loading the
   * scenario — what `srnn validate` and `srnn run` both do — rejects with the given location.
   */
  const expectRunError = expectLoadError;

  test('invalid YAML (unclosed flow map) is reported where the parser finds it, as invalid YAML', async () => {
    await expectLoadError(
      'unclosed-flow-map.yaml',
      [
        'seed: 1',
        'architecture: { type: weightwise', // never closed: the next line cannot continue it
        'population: { size: 3 }',
        'experiment: { type: self-train, steps: 1 }',
      ],
      { line: 3, column: 1, mentions: ['invalid YAML', '}'] },
    );
  });

  test('invalid YAML (duplicate key) points at the second occurrence', async () => {
    await expectLoadError('duplicate-key.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'seed: 2', 'experiment: { type: self-train, steps: 1 }'], {
      line: 4,
      column: 1,
      mentions: ['invalid YAML'],
    });
  });

  test('unknown top-level key names the key and lists the expected keys', async () => {
    await expectLoadError('unknown-top-key.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'colour: blue', 'experiment: { type: self-train, steps: 1 }'], {
      line: 4,
      column: 1,
      mentions: ['"colour"', 'seed', 'population', 'architecture', 'experiment', 'classify'],
    });
  });

  test('unknown key nested in a block mapping points at the key and lists the architecture options', async () => {
    await expectLoadError('unknown-nested-key.yaml', ['seed: 1', 'architecture:', '  type: weightwise', '  widht: 3', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 1 }'], {
      line: 4,
      column: 3,
      mentions: ['"widht"', 'architecture', 'width', 'depth', 'activation', 'layout'],
    });
  });

  test('unknown key nested in a flow mapping points at the key and lists the options of that experiment type', async () => {
    await expectLoadError(
      'unknown-experiment-key.yaml',
      // "sptes" starts at column 43 of line 4
      ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 1, sptes: 2 }'],
      { line: 4, column: 43, mentions: ['"sptes"', 'experiment', 'steps', 'lr', 'momentum', 'batch'] },
    );
  });

  test('wrong type (width: two) names architecture.width and points at the value', async () => {
    await expectLoadError('wrong-type.yaml', ['seed: 1', 'architecture:', '  type: weightwise', '  width: two', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 1 }'], {
      line: 4,
      column: 10,
      mentions: ['architecture.width', 'number'],
    });
  });

  test('out-of-range value (population.size: 0) names the key and points at the value', async () => {
    await expectLoadError('size-zero.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population:', '  size: 0', 'experiment: { type: self-train, steps: 1 }'], {
      line: 4,
      column: 9,
      mentions: ['population.size'],
    });
  });

  test('missing required key (experiment without steps) names the key and points at its mapping', async () => {
    await expectLoadError('missing-steps.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: self-train }'], {
      line: 4,
      column: 13,
      mentions: ['missing key "steps"', 'experiment'],
    });
  });

  test('missing required top-level key (population) is reported', async () => {
    await expectLoadError('missing-population.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'experiment: { type: self-train, steps: 1 }'], {
      line: 1,
      column: 1,
      mentions: ['missing key "population"'],
    });
  });

  test('unknown architecture type points at the type value and names the known type', async () => {
    await expectLoadError('unknown-architecture.yaml', ['seed: 1', 'architecture: { type: nope }', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 1 }'], {
      line: 2,
      column: 23,
      mentions: ['architecture.type', 'weightwise'],
    });
  });

  test('unknown experiment type points at the type value and lists the known types', async () => {
    await expectLoadError('unknown-experiment.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment:', '  type: nope', '  steps: 1'], {
      line: 5,
      column: 9,
      mentions: ['experiment.type', 'self-train', 'self-application'],
    });
  });

  test('unknown backend points at the value and lists the backends', async () => {
    await expectLoadError('unknown-backend.yaml', ['seed: 1', 'backend: nope', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 1 }'], {
      line: 2,
      column: 10,
      mentions: ['backend', 'js', 'tfjs'],
    });
  });

  test('a scenario file that does not exist is reported at 1:1', async () => {
    const file = join(dir, 'does-not-exist.yaml');
    await assert.rejects(srnn.loadScenario(file), (error) => checkError(error, file, { line: 1, column: 1, mentions: ['no such scenario file'] }));
  });

  test('a scenario-listed plugin that does not exist points at its list entry (plugins allowed)', async () => {
    await expectLoadError(
      'missing-plugin.yaml',
      ['seed: 1', 'plugins:', '  - ./no-such-plugin.js', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 1 }'],
      { line: 3, column: 5, mentions: ['no-such-plugin.js'] },
      { allowPlugins: true },
    );
  });

  test('a scenario listing plugins without the opt-in is reported at the plugins key, naming the flag', async () => {
    await expectLoadError(
      'plugins-not-allowed.yaml',
      ['seed: 1', 'plugins:', '  - ./no-such-plugin.js', 'architecture: { type: weightwise }', 'population: { size: 3 }', 'experiment: { type: self-train, steps: 1 }'],
      { line: 2, column: 1, mentions: ['plugins', '--allow-plugins', '--plugin FILE'] },
    );
  });

  test('population.init with a missing weights file is an error at the file value', async () => {
    await expectRunError(
      'missing-init-file.yaml',
      ['seed: 1', 'architecture: { type: weightwise }', 'population:', '  size: 3', '  init: { file: missing.json }', 'experiment: { type: self-train, steps: 1 }'],
      { line: 5, column: 17, mentions: ['population.init.file', 'missing.json'] },
    );
  });

  test('population.init with a weights file of the wrong number of vectors is an error at the file value', async () => {
    writeFileSync(join(dir, 'two-vectors.json'), JSON.stringify([Array(14).fill(0.1), Array(14).fill(0.2)]));
    await expectRunError(
      'short-init-file.yaml',
      ['seed: 1', 'architecture: { type: weightwise }', 'population:', '  size: 3', '  init:', '    file: two-vectors.json', 'experiment: { type: self-train, steps: 1 }'],
      { line: 6, column: 11, mentions: ['population.init.file', 'expected 3', 'got 2'] },
    );
  });

  test('explicit init weights of the wrong length are an error at the offending vector', async () => {
    await expectRunError(
      'wrong-length.yaml',
      [
        'seed: 1',
        'architecture: { type: weightwise }',
        'population:',
        '  size: 2',
        '  init:',
        '    weights:',
        '      - [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]',
        '      - [1, 2, 3]',
        'experiment: { type: self-train, steps: 1 }',
      ],
      { line: 8, column: 9, mentions: ['population.init.weights.1', '14'] },
    );
  });

  test('a wrong number of explicit init weight vectors is an error at the weights list', async () => {
    await expectRunError(
      'wrong-count.yaml',
      [
        'seed: 1',
        'architecture: { type: weightwise }',
        'population:',
        '  size: 3',
        '  init:',
        '    weights:',
        '      - [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]',
        'experiment: { type: self-train, steps: 1 }',
      ],
      { line: 7, column: 7, mentions: ['population.init.weights', 'expected 3', 'got 1'] },
    );
  });

  test('an unknown init scheme is an error at the init value and lists the schemes', async () => {
    await expectRunError('unknown-init.yaml', ['seed: 1', 'architecture: { type: weightwise }', 'population:', '  size: 3', '  init: bogus', 'experiment: { type: self-train, steps: 1 }'], {
      line: 5,
      column: 9,
      mentions: ['population.init', 'bogus', 'default', 'glorot-uniform'],
    });
  });

  test('control: an init file relative to the scenario file (a weights.json) loads and is used as given', async () => {
    const vectors = [
      [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0],
      [0.5, 0.25, -0.5, 0, 0.125, 0, 0, 0, 1, -1, 0, 0, 0.75, 0],
    ];
    writeFileSync(join(dir, 'good-init.json'), JSON.stringify({ particles: vectors.map((weights, uid) => ({ uid, class: 'other', weights })) }));
    const file = writeFile(
      dir,
      'good-init.yaml',
      ['seed: 1', 'architecture: { type: weightwise }', 'population:', '  size: 2', '  init: { file: good-init.json }', 'experiment: { type: self-train, steps: 0 }', ''].join('\n'),
    );
    const loaded = await srnn.loadScenario(file);
    const result = await srnn.createRun(loaded).execute();
    assert.deepEqual(Array.from(result.population.weights), vectors.flat());
    // the first vector is the hand-made fixpoint of PAPER.md §2
    assert.equal(result.census.fixpoint, 1);
  });
});

describe('files named in plugin options resolve relative to the scenario file', () => {
  test('robustness fixpoints: { file } next to the scenario, run from another working directory', async () => {
    const srnn = await Srnn.create();
    const dir = tempDir('srnn-scenario-files-');
    const handMade = Array.from({ length: 14 }, (_, i) => (i === 0 || i === 8 || i === 12 ? 1 : 0));
    writeFileSync(join(dir, 'fixpoints.json'), JSON.stringify({ particles: [{ uid: 5, class: 'fixpoint', weights: handMade }] }));
    const file = writeFile(
      dir,
      'robustness.yaml',
      ['seed: 3', 'architecture: { type: weightwise }', 'population: { size: 1 }', 'experiment: { type: robustness, fixpoints: { file: fixpoints.json }, levels: [0.01], trials: 2 }', ''].join('\n'),
    );
    const loaded = await srnn.loadScenario(file);
    assert.deepEqual(loaded.scenario.experiment.fixpoints, { file: join(dir, 'fixpoints.json') });
    const cwd = process.cwd();
    process.chdir(tempDir('srnn-elsewhere-'));
    try {
      // analysis experiments emit their tables as `analysis-table` events (see @srnn/analysis)
      type Table = { kind: string; table: { name: string; columns: string[]; rows: unknown[][] } };
      const tables: Table['table'][] = [];
      const run = srnn.createRun(loaded);
      run.events$.subscribe((event) => {
        const { kind, table } = event as unknown as Table;
        if (kind === 'analysis-table') tables.push(table);
      });
      await run.execute();
      const fixpoints = tables.find((table) => table.name === 'robustness-fixpoints');
      assert.ok(fixpoints, 'a robustness-fixpoints table');
      const uid = fixpoints.columns.indexOf('uid');
      assert.deepEqual(
        fixpoints.rows.map((row) => [row[uid], row[fixpoints.columns.indexOf('origin')]]),
        [[5, 'file']],
        'the fixpoint of the file next to the scenario was tested',
      );
    } finally {
      process.chdir(cwd);
    }
  });
});
