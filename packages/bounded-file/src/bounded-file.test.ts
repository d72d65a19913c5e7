import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BoundedFileError, jsonSyntaxError, readBoundedJson, readBoundedText } from './bounded-file';

const dir = mkdtempSync(join(tmpdir(), 'srnn-bounded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rejects(fn: () => unknown, reason: RegExp): BoundedFileError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof BoundedFileError, String(error));
    assert.match(error.reason, reason);
    return error;
  }
  assert.fail('expected a BoundedFileError');
}

describe('readBoundedText', () => {
  it('reads a regular file within its limit, also through a symbolic link', () => {
    writeFileSync(join(dir, 'a.txt'), 'héllo');
    symlinkSync(join(dir, 'a.txt'), join(dir, 'link.txt'));
    assert.equal(readBoundedText(join(dir, 'a.txt'), { bytes: 6 }), 'héllo');
    assert.equal(readBoundedText(join(dir, 'link.txt'), { bytes: 6 }), 'héllo');
  });

  it('refuses a file over the limit and says the limit and why', () => {
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(100));
    const error = rejects(() => readBoundedText(join(dir, 'big.txt'), { bytes: 99, why: 'two particles' }), /larger than the limit of 99 bytes \(two particles\): 100 bytes/);
    assert.equal(error.message, `${join(dir, 'big.txt')}: ${error.reason}`);
  });

  it('refuses a directory, a device and a FIFO without reading from them (no hang)', () => {
    rejects(() => readBoundedText(dir, { bytes: 1000 }), /not a regular file \(a directory\)/);
    rejects(() => readBoundedText('/dev/zero', { bytes: 1000 }), /not a regular file \(a device\)/);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    rejects(() => readBoundedText(join(dir, 'fifo'), { bytes: 1000 }), /not a regular file \(a FIFO\)/);
  });

  it('a missing file is "no such file"', () => {
    rejects(() => readBoundedText(join(dir, 'none.txt'), { bytes: 10 }), /^no such file$/);
  });
});

describe('readBoundedJson', () => {
  it('parses JSON', () => {
    writeFileSync(join(dir, 'ok.json'), '{ "particles": [1, 2] }');
    assert.deepEqual(readBoundedJson(join(dir, 'ok.json'), { bytes: 100 }), { particles: [1, 2] });
  });

  it('reports a syntax error at its line:col in the file and never quotes the text', () => {
    const secret = 'root:$6$s3cr3tHash:19000:0:99999:7:::';
    writeFileSync(join(dir, 'shadow'), `${secret}\n`);
    const error = rejects(() => readBoundedJson(join(dir, 'shadow'), { bytes: 1000 }), /^not JSON \(unexpected character; expected a value\)$/);
    assert.deepEqual(error.position, { line: 1, column: 1 });
    assert.equal(error.message, `${join(dir, 'shadow')}:1:1: not JSON (unexpected character; expected a value)`);
    writeFileSync(join(dir, 'deep.json'), `{ "particles": [\n  { "weights": [1, 2,\n    ${secret}] } ] }`);
    const deep = rejects(() => readBoundedJson(join(dir, 'deep.json'), { bytes: 1000 }), /^not JSON/);
    assert.deepEqual(deep.position, { line: 3, column: 5 });
    assert.ok(!deep.message.includes('s3cr3t') && !deep.message.includes('root'), deep.message);
  });
});

describe('jsonSyntaxError', () => {
  const cases: [string, number, RegExp][] = [
    ['', 0, /unexpected end of file; expected a value/],
    ['[1, 2', 5, /unexpected end of file; expected ',' or '\]'/],
    ['{"a": 1,}', 8, /expected a property name/],
    ['{"a" 1}', 5, /expected ':'/],
    ['[1] x', 4, /expected the end of the file/],
    ['[01]', 2, /expected ',' or '\]'/],
    ['["a\u0001"]', 1, /bad string/],
    ['[-]', 1, /bad number/],
    ['[tru]', 1, /expected a value/],
    ['{"a": {"b": [true, false, null, "x\\n", -1.5e3, {}, []]}} }', 57, /expected the end/],
    ['['.repeat(100_000), 100_000, /unexpected end of file/],
  ];
  for (const [text, offset, reason] of cases) {
    it(`${JSON.stringify(text.slice(0, 40))}: at ${offset}`, () => {
      assert.throws(() => JSON.parse(text));
      const found = jsonSyntaxError(text);
      assert.equal(found.offset, offset);
      assert.match(found.reason, reason);
    });
  }
});
