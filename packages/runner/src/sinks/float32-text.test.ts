import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { float32Text } from './float32-text';

/** The shortest round-trip decimal by brute force: toPrecision(1 … 9). */
function shortest(value: number): string {
  for (let p = 1; p <= 9; p++) {
    const text = String(Number(value.toPrecision(p)));
    if (Math.fround(Number(text)) === value) return text;
  }
  throw new Error(`no 9-digit decimal for ${value}`);
}

describe('float32Text: the shortest decimal that reads back to the same float32', () => {
  it('writes familiar values as people write them', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [-0.04, '-0.04'],
      [1, '1'],
      [-0, '0'],
      [100, '100'],
      [16777216, '16777216'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [1e21, '1e+21'],
      [3.4028234663852886e38, '3.4028235e+38'],
      [1.1754943508222875e-38, '1.1754944e-38'],
      [1.401298464324817e-45, '1e-45'],
    ];
    for (const [value, text] of cases) assert.equal(float32Text(Math.fround(value)), text, String(value));
  });

  it('reads back exactly and is as short as the brute-force search, over random, tiny, huge and subnormal float32s', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    let state = 12345;
    for (let i = 0; i < 200_000; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      u[0] = i % 4 === 0 ? state : (state & 0x807fffff) | ((120 + (i % 16)) << 23); // every exponent, and many near 1
      const value = f[0];
      if (!Number.isFinite(value)) continue;
      const text = float32Text(value);
      assert.equal(Math.fround(Number(text)), value, `${value} → ${text}`);
      assert.ok(text.length <= shortest(value).length, `${value}: ${text} is longer than ${shortest(value)}`);
      assert.ok(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-][0-9]+)?$/.test(text), `${text} is a JSON number`);
    }
  });
});
