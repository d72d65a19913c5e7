#!/usr/bin/env node
// The example plugin built, tested and used the way somebody outside this repository would:
// 1. srnn's packages are packed (`npm pack`, from the current build);
// 2. a plugin author's project: a copy of examples/window in a temporary directory outside the
//    repository, with srnn installed from those tarballs (third-party packages from the registry),
//    is built and runs its own tests, and is packed in turn;
// 3. a user's project installs @srnn/cli and the plugin's tarball; `srnn plugins` must list the
//    plugin, and a scenario using it runs on every backend the plugin supports.
// srnn's packages exist only as tarballs here: a dependency on one is pinned to its tarball with
// npm `overrides`, so an install can never take one from a registry.
// Usage: node examples/test-outside.mjs [--keep]   (npm run test:outside; --keep leaves the directory)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const example = join(repo, 'examples', 'window');
/** The backends the example has kernels for. */
const BACKENDS = ['js'];
const keep = process.argv.includes('--keep');

const work = realpathSync(mkdtempSync(join(tmpdir(), 'srnn-outside-')));
if (!relative(repo, work).startsWith('..')) throw new Error(`the temporary directory ${work} lies inside the repository`);
const started = Date.now();
const step = (what) => console.log(`test-outside: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

function run(command, args, cwd, { capture = false } = {}) {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
      env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${error.status})`, { cause: error });
  }
}
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n');

try {
  step(`working in ${work}`);
  run('npx', ['tsc', '-b'], repo);
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const packed = JSON.parse(run('npm', ['pack', '--workspaces', '--json', '--pack-destination', tarballs], repo, { capture: true }));
  /** Every srnn package (but the private bench) → "file:<its tarball>". */
  const srnn = Object.fromEntries(packed.filter((p) => p.name !== '@srnn/bench').map((p) => [p.name, `file:${join(tarballs, p.filename)}`]));
  step(`packed ${Object.keys(srnn).length} srnn packages`);

  /** package.json with every srnn dependency pinned to its tarball. */
  const pinned = (manifest) => {
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) if (srnn[name]) manifest[field][name] = srnn[name];
    }
    return { ...manifest, overrides: { ...srnn } };
  };

  // 2. the plugin author's project
  const author = join(work, 'srnn-window');
  cpSync(example, author, { recursive: true, filter: (path) => !/[/\\](dist|node_modules)$/.test(path) });
  writeJson(join(author, 'package.json'), pinned(readJson(join(author, 'package.json'))));
  run('npm', ['install', '--no-package-lock', '--loglevel=error'], author);
  step('author: installed');
  run('npm', ['run', 'build'], author);
  run('npm', ['test'], author);
  const plugin = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs], author, { capture: true }))[0];
  step(`author: built, tested, packed ${plugin.filename}`);

  // 3. a user's project
  const user = join(work, 'project');
  mkdirSync(user);
  writeJson(
    join(user, 'package.json'),
    pinned({ name: 'srnn-user-project', version: '1.0.0', private: true, dependencies: { '@srnn/cli': '^0.1.0', 'srnn-window': `file:${join(tarballs, plugin.filename)}` } }),
  );
  run('npm', ['install', '--no-package-lock', '--loglevel=error'], user);
  step('user: installed @srnn/cli and srnn-window');
  const listed = run('npx', ['--no-install', 'srnn', 'plugins'], user, { capture: true });
  if (!/^\s+srnn-window\s/m.test(listed) || !/^\s+window\s/m.test(listed)) throw new Error(`srnn plugins does not list srnn-window and its architecture:\n${listed}`);
  cpSync(join(example, 'scenarios', 'window.yaml'), join(user, 'window.yaml'));
  run('npx', ['--no-install', 'srnn', 'validate', 'window.yaml'], user);
  for (const backend of BACKENDS) {
    const out = `results-${backend}`;
    run('npx', ['--no-install', 'srnn', 'run', 'window.yaml', '--backend', backend, '--out', out], user, { capture: true });
    const summary = readJson(join(user, out, 'summary.json'));
    const total = Object.values(summary.census).reduce((a, b) => a + b, 0);
    if (summary.architecture !== 'window' || summary.backend !== backend || total !== 100) throw new Error(`unexpected ${out}/summary.json: ${JSON.stringify(summary)}`);
    step(`user: ran window.yaml on ${backend}: ${JSON.stringify(summary.census)}`);
  }
  console.log(`test-outside: ok (${readdirSync(tarballs).length} tarballs, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  if (keep) console.log(`test-outside: left ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
