import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetFile } from '../../../src-renderer/src/lib/export/parquetFile';
import { csvText } from '../../../src-renderer/src/lib/export/csvText';
import { predictionFile } from '../../../src-renderer/src/lib/models/predictionFiles';

const dir = mkdtempSync(join(tmpdir(), 'bullpen-parquet-'));
let instance: DuckDBInstance;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => {
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes the bytes to a file and reads it back with DuckDB's own Parquet reader: rows, and column types. */
async function readBack(bytes: Uint8Array, name: string): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const conn = await instance.connect();
  try {
    const rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS();
    const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS();
    return { rows, types: Object.fromEntries(described.map((d) => [String(d.column_name), String(d.column_type)])) };
  } finally {
    conn.closeSync();
  }
}

describe('the Parquet files the UI builds for download', () => {
  it('are read back by DuckDB with every value, null and type intact', async () => {
    const values = {
      id: ['a', 'b,c', 'd"e', 'ü', ''],
      x: [0.1, -2.5, 1e-12, 3, Number.MAX_VALUE],
      n: [1, null, null, 0, -7],
    };
    const bytes = parquetFile([
      { name: 'id', type: 'string', values: values.id },
      { name: 'x', type: 'double', values: values.x },
      { name: 'n', type: 'int32', values: values.n },
    ]);
    const { rows, types } = await readBack(bytes, 'mixed.parquet');
    expect(types).toEqual({ id: 'VARCHAR', x: 'DOUBLE', n: 'INTEGER' });
    expect(rows.map((r) => r.id)).toEqual(values.id);
    expect(rows.map((r) => r.x)).toEqual(values.x);
    expect(rows.map((r) => r.n)).toEqual(values.n);
  });

  it('hold thousands of rows in one file (list headers past 15 entries, long runs of nulls)', async () => {
    const count = 5000;
    const columns = Array.from({ length: 17 }, (_v, c) => ({
      name: `c${c}`,
      type: 'int32' as const,
      values: Array.from({ length: count }, (_w, i) => (i % 1000 < 400 ? null : i * (c + 1))),
    }));
    const { rows } = await readBack(parquetFile(columns), 'wide.parquet');
    expect(rows).toHaveLength(count);
    expect(rows[4521].c16).toBe(4521 * 17);
    expect(rows[4321].c16).toBeNull();
    expect(rows.filter((r) => r.c0 === null)).toHaveLength(2000);
  });

  it('refuse columns of different lengths', () => {
    expect(() =>
      parquetFile([
        { name: 'a', type: 'double', values: [1, 2] },
        { name: 'b', type: 'double', values: [1] },
      ]),
    ).toThrow(/same number of rows/);
  });
});

describe('the predictions download', () => {
  const rows = [
    { gameId: 'NYA201604050', date: '2016-04-05', p: 0.5612, label: 1 },
    { gameId: 'BOS201604060', date: '2016-04-06', p: 0.4, label: null },
  ];

  it('as CSV: a header and one line per game, an unknown result left empty', () => {
    const file = predictionFile(rows, 'm1', '2016', 'csv');
    expect(file.name).toBe('predictions-m1-2016.csv');
    expect(file.content).toBe('game_id,date,label,p\nNYA201604050,2016-04-05,1,0.5612\nBOS201604060,2016-04-06,,0.4\n');
  });

  it('as Parquet: the same rows, typed', async () => {
    const file = predictionFile(rows, 'm1', '2015-2016', 'parquet');
    expect(file.name).toBe('predictions-m1-2015-2016.parquet');
    if (typeof file.content === 'string') throw new Error('Parquet content must be bytes');
    const { rows: back, types } = await readBack(file.content, file.name);
    expect(types).toEqual({ game_id: 'VARCHAR', date: 'VARCHAR', label: 'INTEGER', p: 'DOUBLE' });
    expect(back).toEqual(rows.map((r) => ({ game_id: r.gameId, date: r.date, label: r.label, p: r.p })));
  });

  it('quotes CSV fields that hold commas, quotes or line breaks', () => {
    expect(
      csvText(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', null],
        ],
      ),
    ).toBe('a,b\n"x,y","say ""hi"""\n"line\nbreak",\n');
  });
});
