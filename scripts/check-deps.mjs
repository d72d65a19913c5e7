#!/usr/bin/env node
// Declared dependencies = used ones, in every workspace package (npm run lint:deps). Reads each
// package's TypeScript sources (imports, exports, require, require.resolve, import(), import types)
// and checks its package.json:
// - a package a non-test source imports is a dependency (or a peer or optional dependency);
//   one only tests import is at least a devDependency;
// - every dependency and peer dependency is imported by a non-test source — or is a plugin (its
//   package.json has `srnn.module`) that the package ships for discovery (the CLI's plugins), or
//   is reflect-metadata beside inversify (decorators need its metadata at run time);
//   every devDependency is imported somewhere (or types a dependency: @types/x for x);
// - @srnn/testing is only ever a devDependency (of a private tool, e.g. the benchmarks, also a
//   dependency): production code never imports the test kits;
// - a plugin (plugins/*) declares what it shares with the host as peer dependencies;
// - the packages' dependencies of every kind form no cycle.
// Exits 1 with one line per problem.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** What a plugin shares with the host: one copy of each in an installation, the host's. */
const SHARED_WITH_HOST = ['@srnn/core', '@srnn/runner', 'inversify', 'zod', 'reflect-metadata', 'rxjs'];
const TEST_FILE = /\.test\.ts$|-test-support\.ts$|(^|\/)fixture-[^/]*\.ts$/;
const builtins = new Set(builtinModules);

function workspaceDirs() {
  return rootManifest.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    return readdirSync(parent)
      .map((name) => join(parent, name))
      .filter((dir) => existsSync(join(dir, 'package.json')));
  });
}

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The module specifiers a file names. */
function specifiers(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = [];
  const literal = (node) => node && ts.isStringLiteralLike(node) && found.push(node.text);
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(source);
      if (callee === 'require' || callee === 'require.resolve' || node.expression.kind === ts.SyntaxKind.ImportKeyword) literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier.split('/')[0])) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function manifestOf(name, from) {
  for (let dir = from; ; dir = join(dir, '..')) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    if (join(dir, '..') === dir) return undefined;
  }
}

const problems = new Set();
const report = (problem) => problems.add(problem);
/** Workspace package name → the workspace packages it depends on (any field). */
const graph = new Map();
for (const dir of workspaceDirs()) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const fieldNames = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
  graph.set(manifest.name, new Set(fieldNames.flatMap((f) => Object.keys(manifest[f] ?? {}))));
  const where = relative(root, join(dir, 'package.json'));
  const fields = (...names) => new Set(names.flatMap((n) => Object.keys(manifest[n] ?? {})));
  const production = fields('dependencies', 'peerDependencies', 'optionalDependencies');
  const dev = fields('devDependencies');
  const usedInProduction = new Set();
  const usedInTests = new Set();
  for (const file of sourceFiles(join(dir, 'src'))) {
    const test = TEST_FILE.test(relative(dir, file));
    for (const name of specifiers(file).map(packageOf)) {
      if (!name || name === manifest.name) continue;
      (test ? usedInTests : usedInProduction).add(name);
      if (!test && !production.has(name)) report(`${where}: ${name} is imported by a non-test source (${relative(root, file)}) but is not a dependency`);
      if (test && !production.has(name) && !dev.has(name)) report(`${where}: ${name} is imported by a test (${relative(root, file)}) but is not declared (a devDependency at least)`);
    }
  }
  for (const name of production) {
    if (usedInProduction.has(name)) continue;
    const shipped = typeof manifestOf(name, dir)?.srnn?.module === 'string' && manifest.dependencies?.[name];
    const metadata = name === 'reflect-metadata' && usedInProduction.has('inversify');
    if (!shipped && !metadata) report(`${where}: ${name} is declared but no non-test source imports it`);
  }
  for (const name of dev) {
    const typed = name.startsWith('@types/') && (usedInProduction.has(name.slice(7)) || usedInTests.has(name.slice(7)));
    const peerBuild = manifest.peerDependencies?.[name] !== undefined;
    if (!usedInTests.has(name) && !usedInProduction.has(name) && !typed && !peerBuild) report(`${where}: devDependency ${name} is not imported`);
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    if (manifest[field]?.['@srnn/testing'] && !(manifest.private && field === 'dependencies')) report(`${where}: @srnn/testing is in ${field}: the test kits are only ever a devDependency`);
  }
  if (relative(root, dir).startsWith('plugins')) {
    for (const name of SHARED_WITH_HOST) {
      if (manifest.dependencies?.[name]) report(`${where}: ${name} is shared with the host: declare it in peerDependencies (and devDependencies), not dependencies`);
      if (manifest.peerDependencies?.[name] && !manifest.devDependencies?.[name]) report(`${where}: peer dependency ${name} is missing from devDependencies (the workspace build needs it)`);
    }
  }
}
const visiting = [];
const done = new Set();
const visit = (name) => {
  if (done.has(name)) return;
  const at = visiting.indexOf(name);
  if (at >= 0) return report(`dependency cycle: ${[...visiting.slice(at), name].join(' -> ')}`);
  visiting.push(name);
  for (const next of graph.get(name) ?? []) if (graph.has(next)) visit(next);
  visiting.pop();
  done.add(name);
};
for (const name of graph.keys()) visit(name);

// one line per package and dependency: the first file that shows it
const seen = new Set();
const lines = [...problems].filter((line) => {
  const key = line.replace(/ \([^)]*\) /, ' ');
  return !seen.has(key) && seen.add(key);
});
for (const line of lines) console.log(line);
if (lines.length > 0) {
  console.log(`${lines.length} dependency problem(s)`);
  process.exit(1);
}
console.log(`dependencies: declared = used in ${workspaceDirs().length} packages`);
