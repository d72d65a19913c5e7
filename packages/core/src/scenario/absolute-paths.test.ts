import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileReferenceSchema, withAbsolutePaths } from './absolute-paths';
import type { ResolvedScenario } from './schema';

const base = '/data/scenarios';

function scenario(extra: Record<string, unknown>): ResolvedScenario {
  return { seed: 1, plugins: ['./my-plugin.js'], architecture: { type: 'weightwise' }, population: { size: 2, init: 'default' }, ...extra } as unknown as ResolvedScenario;
}

describe('withAbsolutePaths', () => {
  it('makes plugins and { file } references anywhere in the scenario absolute, relative to its directory', () => {
    const resolved = withAbsolutePaths(
      scenario({
        population: { size: 2, init: { file: 'init.json' } },
        experiment: { type: 'robustness', fixpoints: { file: '../runs/a/weights.json' }, clones: { parents: { file: 'p.json' } }, list: [{ file: 'x.json' }] },
      }),
      base,
    );
    assert.deepEqual(resolved.plugins, ['/data/scenarios/my-plugin.js']);
    assert.deepEqual(resolved.population.init, { file: '/data/scenarios/init.json' });
    assert.deepEqual(resolved.experiment, {
      type: 'robustness',
      fixpoints: { file: '/data/runs/a/weights.json' },
      clones: { parents: { file: '/data/scenarios/p.json' } },
      list: [{ file: '/data/scenarios/x.json' }],
    });
  });

  it('leaves absolute paths, objects with more than a file, and the order of keys as they are', () => {
    const given = scenario({ experiment: { type: 't', fixpoints: { file: '/abs/w.json' }, other: { file: 'a.json', name: 'n' } } });
    const resolved = withAbsolutePaths(given, base);
    assert.deepEqual(resolved.experiment, { type: 't', fixpoints: { file: '/abs/w.json' }, other: { file: 'a.json', name: 'n' } });
    assert.deepEqual(Object.keys(resolved), Object.keys(given));
    assert.equal((given.plugins as string[])[0], './my-plugin.js', 'the given scenario is not changed');
  });
});

describe('fileReferenceSchema', () => {
  it('takes exactly { file: non-empty string } and says how the path resolves', () => {
    const schema = fileReferenceSchema('a weights.json');
    assert.deepEqual(schema.parse({ file: 'w.json' }), { file: 'w.json' });
    assert.equal(schema.safeParse({ file: '' }).success, false);
    assert.equal(schema.safeParse({ file: 'w.json', extra: 1 }).success, false);
    assert.match(schema.shape.file.description ?? '', /a weights\.json; absolute or relative to the scenario file/);
  });
});
