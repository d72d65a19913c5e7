import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ContainerModule } from 'inversify';
import ts from 'typescript';
import { Srnn } from '@srnn/runner';
import { selfTrainModule } from '@srnn/self-train';
import { REPO_ROOT, tempDir } from './support/helpers';

/**
 * The README's TypeScript examples of the event stream and of a network-type plugin, compiled as
 * written under `strict` against the built packages, then run where they can run on their own.
 */

/** The README sections whose ```ts blocks are checked. */
const SECTIONS = {
  events: 'Using srnn from code: the event stream',
  soups: 'Soups',
  plugin: 'Writing a network-type plugin',
} as const;

interface Snippet {
  readonly section: keyof typeof SECTIONS;
  /** A virtual file of the program (not on disk): the name its first line gives, else snippet-<n>.mts (an ES module: top-level await). */
  readonly file: string;
  readonly text: string;
}

const SOURCE_DIR = join(REPO_ROOT, 'test', 'readme-snippets');
/** Where the compiled snippets run: outside test/ (node --test would take them for tests), resolving packages from the repository. */
const OUT_DIR = tempDir('srnn-readme-snippets-');
symlinkSync(join(REPO_ROOT, 'node_modules'), join(OUT_DIR, 'node_modules'), 'dir');

function readmeSnippets(): Snippet[] {
  const snippets: Snippet[] = [];
  let heading = '';
  let block: string[] | undefined;
  for (const line of readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n')) {
    if (block) {
      if (line.startsWith('```')) {
        const section = (Object.keys(SECTIONS) as (keyof typeof SECTIONS)[]).find((key) => SECTIONS[key] === heading);
        if (section) {
          const named = /^\/\/ ([\w-]+\.ts)\b/.exec(block[0] ?? '');
          const file = join(SOURCE_DIR, section, named ? named[1] : `snippet-${snippets.filter((s) => s.section === section).length + 1}.mts`);
          snippets.push({ section, file, text: block.join('\n') + '\n' });
        }
        block = undefined;
      } else block.push(line);
    } else if (line.startsWith('## ')) heading = line.slice(3).trim();
    else if (line.startsWith('```ts')) block = [];
  }
  return snippets;
}

/** What a snippet leaves to the reader: the `srnn` of the first example, the plugin's NetworkShape. */
function completed(snippet: Snippet): Snippet {
  if (snippet.section === 'soups' && !/\bconst srnn\b/.test(snippet.text)) {
    return { ...snippet, text: `import { Srnn } from '@srnn/runner';\nconst srnn = await Srnn.create();\n${snippet.text}` };
  }
  return snippet;
}

/** What the plugin section shows in part: the example plugin's network and kernels (examples/window/src). */
const EXAMPLE_FILES = ['window-network.ts', 'window-js-kernels.ts'];

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  esModuleInterop: true,
  skipLibCheck: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  rootDir: SOURCE_DIR,
  outDir: OUT_DIR,
};

/** The snippets as one program; `files` are virtual, everything else comes from disk. */
function compile(files: ReadonlyMap<string, string>, old?: ts.Program): ts.Program {
  const host = ts.createCompilerHost(OPTIONS);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  const dirs = new Set([...files.keys()].map((name) => dirname(name)));
  host.directoryExists = (name) => dirs.has(name) || name === SOURCE_DIR || (directoryExists?.(name) ?? true);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language, true);
  };
  return ts.createProgram({ rootNames: [...files.keys()], options: OPTIONS, host, oldProgram: old });
}

function problems(program: ts.Program, files: ReadonlyMap<string, string>): string[] {
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || files.has(d.file.fileName))
    .map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const at = d.file && where ? `${relative(SOURCE_DIR, d.file.fileName)}:${where.line + 1}:${where.character + 1}: ` : '';
      return at + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
}

describe("the README's TypeScript examples", () => {
  const snippets = readmeSnippets().map(completed);
  const files = new Map(snippets.map((s) => [s.file, s.text]));
  for (const name of EXAMPLE_FILES) files.set(join(SOURCE_DIR, 'plugin', name), readFileSync(join(REPO_ROOT, 'examples', 'window', 'src', name), 'utf8'));
  let program: ts.Program;

  before(() => {
    program = compile(files);
  });

  test('are found: two of the event stream, one of the soup, the plugin module, its options, its architecture and its js kernel provider', () => {
    assert.deepEqual(
      snippets.map((s) => relative(SOURCE_DIR, s.file)),
      [
        'events/snippet-1.mts',
        'events/my-events.ts',
        'soups/snippet-1.mts',
        'plugin/window-module.ts',
        'plugin/window-options.ts',
        'plugin/window-architecture.ts',
        'plugin/window-kernel-provider.ts',
      ],
    );
  });

  test('compile under strict, with no casts', () => {
    assert.deepEqual(problems(program, files), []);
    for (const snippet of snippets) assert.doesNotMatch(snippet.text, /\bas (unknown|any)\b/, relative(SOURCE_DIR, snippet.file));
  });

  test('a mistake in one is found (the check can fail)', () => {
    const [first] = snippets;
    const wrong = new Map(files).set(first.file, first.text.replace('event.meanLoss', 'event.meanLos'));
    assert.ok(wrong.get(first.file) !== first.text);
    const found = problems(compile(wrong, program), wrong);
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /events\/snippet-1\.mts:\d+:\d+: Property 'meanLos' does not exist/);
  });

  describe('run', () => {
    before(() => {
      const emitted = program.emit(undefined, (name, text) => {
        mkdirSync(dirname(name), { recursive: true });
        writeFileSync(name, text);
      });
      assert.equal(emitted.emitSkipped, false);
    });

    test('the event stream example runs the quickstart scenario and prints what it selected', () => {
      const result = spawnSync(process.execPath, [join(OUT_DIR, 'events', 'snippet-1.mjs')], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
      assert.equal(result.status, 0, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.equal(lines[0], 'WebAssembly SIMD f32x4 (float32 arithmetic)', "run-started: the backend (the default engine of the quickstart's weightwise net)");
      assert.match(lines[1], /^0 \d+ undefined$/, 'the census at step 0: no loss yet');
      assert.match(lines[2], /^100 (divergent|zero|fixpoint|second-order|other)$/, 'classified: 100 uids and the class of the first');
      const classified = /^100 (divergent|zero|fixpoint|second-order|other)$/;
      assert.equal(lines.filter((l) => classified.test(l)).length, 51, 'a classified event per census (every 100 of 5000 steps)');
      assert.match(lines[lines.length - 1], /^\{ .*fixpoint: \d+.* \} 1400$/, 'run-finished: the census and 100 × 14 weights');
    });

    test("the plugin example loads into srnn, builds from a scenario's options (parsed, defaults filled) and runs on js", async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the snippets compiled by this test
      const windowModule = (require(join(OUT_DIR, 'plugin', 'window-module.js')) as { default: ContainerModule }).default;
      const srnn = await Srnn.create({ discover: false, modules: [windowModule, selfTrainModule] });
      const yaml = ['architecture: { type: window, radius: 2 }', 'population: { size: 2 }', 'experiment: { type: self-train, steps: 1 }', ''].join('\n');
      const loaded = await srnn.loadScenarioText(yaml, 'window.yaml');
      assert.deepEqual(loaded.scenario.architecture, { type: 'window', radius: 2, width: 2, activation: 'linear' });
      const result = await srnn.createRun(loaded).execute();
      assert.equal(result.population.weightCount, 2 * (5 + 1));
    });
  });
});
