#!/usr/bin/env node
// The root `npm test`: node --test over the compiled test files (*.test.js) of the whole
// repository, and only those. Without file arguments node (20) would also load every .js file
// under a test/ folder (fixtures, test/dist/support) and scripts named test-*.mjs
// (examples/test-outside.mjs, which is `npm run test:outside`). Arguments are node --test options.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const TEST_FILE = /\.test\.[cm]?js$/;

/** The test files below `dir`, outside node_modules and dot folders. */
function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : testFiles(path);
    return entry.isFile() && TEST_FILE.test(entry.name) ? [relative(root, path)] : [];
  });
}

const files = testFiles(root).sort();
if (files.length === 0) {
  console.error('run-tests: no compiled test files (*.test.js): build first (npm run build)');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
