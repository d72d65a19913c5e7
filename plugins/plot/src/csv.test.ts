import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvRecords, csvValue, parseCsv } from './csv';

describe('csv', () => {
  test('a header and rows, with a trailing newline and CRLF line ends', () => {
    assert.deepEqual(parseCsv('a,b\r\n1,2\r\n3,\n'), {
      header: ['a', 'b'],
      rows: [
        ['1', '2'],
        ['3', ''],
      ],
    });
  });

  test('quoted fields keep commas, doubled quotes and newlines', () => {
    const table = parseCsv('key,value\n"a,b","say ""hi"""\n"two\nlines",x');
    assert.deepEqual(table.rows, [
      ['a,b', 'say "hi"'],
      ['two\nlines', 'x'],
    ]);
  });

  test('records are keyed by the header, key paths with dots included', () => {
    assert.deepEqual(csvRecords(parseCsv('architecture.type,fraction.zero\nweightwise,0.5\n')), [{ 'architecture.type': 'weightwise', 'fraction.zero': '0.5' }]);
  });

  test('cells become numbers, booleans, null for empty, else stay strings', () => {
    assert.deepEqual(['12', '-1.5e-3', '.5', 'NaN', 'Infinity', '', 'true', 'false', 'fft', '1e', '0x10'].map(csvValue), [12, -0.0015, 0.5, NaN, Infinity, null, true, false, 'fft', '1e', '0x10']);
  });
});
