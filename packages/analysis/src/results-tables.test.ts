import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Subject } from 'rxjs';
import type { RunEvent } from '@srnn/core';
import { emitTable, readTable, tableCsv, tableJson, TablesSink, type ResultsTable } from './results-tables';

const dir = mkdtempSync(join(tmpdir(), 'srnn-analysis-tables-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const table: ResultsTable = {
  name: 'demo',
  columns: ['level', 'label', 'ok', 'value'],
  rows: [
    [0.1, 'a, "quoted"', true, 1.5],
    [1e-9, 'plain', false, null],
    [1, 'nan', false, NaN],
  ],
};

describe('results tables', () => {
  it('CSV has a header, quotes what needs quoting and leaves null empty', () => {
    assert.equal(tableCsv(table), 'level,label,ok,value\n0.1,"a, ""quoted""",true,1.5\n1e-9,plain,false,\n1,nan,false,NaN\n');
  });

  it('JSON is an array of row objects, non-finite numbers as null', () => {
    assert.deepEqual(JSON.parse(tableJson(table)), [
      { level: 0.1, label: 'a, "quoted"', ok: true, value: 1.5 },
      { level: 1e-9, label: 'plain', ok: false, value: null },
      { level: 1, label: 'nan', ok: false, value: null },
    ]);
  });

  it('emitting a table with a short row is an error', () => {
    assert.throws(() => emitTable({ emit: () => {} }, { name: 'bad', columns: ['a', 'b'], rows: [[1]] }), /1 cells for 2 columns/);
  });

  it('a sink writes the tables it is responsible for when the run finishes, and only those', async () => {
    const events = new Subject<RunEvent>();
    const done = new TablesSink('demo-tables', ['demo']).attach(events, dir);
    const context = { emit: (e: RunEvent) => events.next(e) };
    emitTable(context, table);
    emitTable(context, { name: 'other', columns: ['x'], rows: [[1]] });
    assert.equal(readTable(dir, 'demo'), undefined, 'nothing before the run finished');
    events.next({ kind: 'run-finished' } as RunEvent);
    events.complete();
    await done;
    assert.equal(readFileSync(join(dir, 'demo.csv'), 'utf8'), tableCsv(table));
    assert.equal(readTable(dir, 'demo')!.length, 3);
    assert.equal(readTable(dir, 'other'), undefined);
  });
});
