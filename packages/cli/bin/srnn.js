#!/usr/bin/env node
'use strict';
// The srnn command as npm links it (node_modules/.bin/srnn): a committed file, so that the link
// exists right after `npm ci` on a fresh clone; it runs the built CLI.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('srnn: not built yet (no packages/cli/dist/main.js): run `npm run build` first\n');
  process.exit(1);
}
require(main);
