/**
 * `npm run golden:update` (node test/dist/golden-update.js --write): reruns `srnn paper --quick` and rewrites test/golden/ from it — only on
 * purpose, when a change of the numerics is intended (review the diff of test/golden/ before committing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQuickPaper, writeGolden } from './support/golden';

async function main(): Promise<void> {
  const parent = mkdtempSync(join(tmpdir(), 'srnn-golden-'));
  try {
    const result = await runQuickPaper(join(parent, 'paper'));
    const written = writeGolden(result);
    process.stdout.write(`golden logs of ${result.experiments.length} paper scenarios (--quick, ${(result.wallMs / 1000).toFixed(1)} s):\n${written.map((f) => `  ${f}`).join('\n')}\n`);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

// `node --test` also loads every file under test/: without --write this file does nothing, so
// that a test run can never rewrite the golden logs it is meant to check
if (process.argv.includes('--write')) {
  main().catch((error: unknown) => {
    process.stderr.write(`golden:update: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
