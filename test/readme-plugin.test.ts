import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './support/helpers';

/**
 * The README's "Writing a network-type plugin" shows the files of examples/window, which CI builds,
 * tests and runs outside the repository (examples/test-outside.mjs): so following the README
 * literally works as long as what it shows is what the example has.
 */
describe("README's plugin section mirrors examples/window", () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Writing a network-type plugin');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(([, lang, body]) => ({ lang, body }));
  const example = (path: string) => readFileSync(join(REPO_ROOT, 'examples', 'window', path), 'utf8');

  it('shows each TypeScript file whole, as the example has it', () => {
    const files = blocks.filter((b) => b.lang === 'ts').map((b) => b.body.match(/^\/\/ ([\w-]+\.ts)\n([\s\S]*)$/));
    assert.deepEqual(
      files.map((m) => m?.[1]),
      ['window-module.ts', 'window-options.ts', 'window-architecture.ts', 'window-kernel-provider.ts'],
    );
    for (const [, name, body] of files as RegExpMatchArray[]) assert.equal(body, example(join('src', name)), name);
  });

  it("shows package.json's and tsconfig.json's essential keys with the example's values", () => {
    const [manifest, tsconfig] = blocks.filter((b) => b.lang === 'json').map((b) => JSON.parse(b.body) as Record<string, unknown>);
    const assertSubset = (shown: unknown, actual: unknown, path: string): void => {
      if (shown !== null && typeof shown === 'object' && !Array.isArray(shown)) {
        for (const [key, value] of Object.entries(shown)) assertSubset(value, (actual as Record<string, unknown> | undefined)?.[key], `${path}.${key}`);
      } else assert.deepEqual(actual, shown, path);
    };
    assertSubset(manifest, JSON.parse(example('package.json')), 'package.json');
    assertSubset(tsconfig, JSON.parse(example('tsconfig.json')), 'tsconfig.json');
  });
});
