import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { kernelRegistry, type SectionContext } from './architecture-benchmark';
import type { ResultRow } from './result-row';
import { benchmarkTypeEngines } from './type-engine-benchmark';

/** This checkout (built, as the tests run from dist/) stands in for a baseline. */
const ROOT = resolve(__dirname, '..', '..', '..');

async function section(rows: ResultRow[]): Promise<SectionContext> {
  return {
    backends: ['js'],
    seed: 1,
    registry: await kernelRegistry(),
    measureOptions: () => ({ seconds: 0.005, repeats: 1, warmupSeconds: 0.005, maxCallSeconds: 1 }),
    progress: () => undefined,
    emit: (row) => void rows.push(row),
  };
}

describe('type-engine rows', () => {
  it('time js, the default engine and a baseline checkout side by side, and state the default against the baseline', async () => {
    const rows: ResultRow[] = [];
    await benchmarkTypeEngines(await section(rows), ROOT);
    const types = [...new Set(rows.map((row) => row.architecture))];
    assert.deepEqual(types, ['aggregating', 'fft', 'recurrent']);
    for (const type of types) {
      for (const benchmark of ['self-train', 'self-application']) {
        const mine = rows.filter((row) => row.architecture === type && row.benchmark === benchmark);
        assert.ok(mine.some((row) => row.backend === 'js') && mine.some((row) => row.backend === 'baseline'), `${type} ${benchmark}`);
        // exactly one row is the default engine's, and it is compared with the baseline
        const byDefault = mine.filter((row) => row.note?.includes('the default engine'));
        assert.equal(byDefault.length, 1, `${type} ${benchmark}`);
        assert.ok(byDefault[0].vsBaseline! > 0 && /× the baseline's js \(target 3\): (pass|FAIL)/.test(byDefault[0].note!));
        for (const row of mine) assert.ok(row.measured && row.netStepsPerSecond! > 0 && row.samples!.length === 5);
      }
    }
    // aggregating and fft run WebAssembly by default where SIMD runs: rated against js too
    const aggregating = rows.find((row) => row.architecture === 'aggregating' && row.backend === 'wasm');
    if (aggregating) assert.ok(aggregating.vsJs! > 0);
  });

  it('refuses a baseline that is no built srnn checkout, naming what is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'srnn-baseline-'));
    try {
      await assert.rejects(benchmarkTypeEngines(await section([]), empty), /--baseline .*: no packages\/runner\/dist\/index\.js \(a built srnn checkout/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
