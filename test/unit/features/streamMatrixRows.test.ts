import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { streamMatrixRows } from '../../../src-main/engine/modeling/streamMatrixRows';
import { BullpenError } from '../../../src-main/shared/errors';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

// 5000 rows span three of DuckDB's 2048-row chunks; every 7th value of each double column is NULL.
const ROWS = 5000;
const rowsSql = `
  SELECT 'g' || i AS id, strftime(DATE '2016-04-01' + CAST(i % 180 AS INTEGER), '%Y-%m-%d') AS d, CAST(2000 + i % 3 AS INTEGER) AS season, i = 4321 AS synthetic,
    CASE WHEN i % 7 = 0 THEN NULL ELSE i / 2 END::DOUBLE AS s0,
    CASE WHEN i % 7 = 1 THEN NULL ELSE -i - 1 END::DOUBLE AS s1,
    CASE WHEN i % 7 = 2 THEN NULL ELSE i * 10 + 0 END::DOUBLE AS b0,
    CASE WHEN i % 7 = 3 THEN NULL ELSE i * 10 + 1 END::DOUBLE AS b1,
    CASE WHEN i % 7 = 4 THEN NULL ELSE i * 10 + 2 END::DOUBLE AS b2
  FROM range(${ROWS}) t(i) ORDER BY i`;
const expected = (i: number, nullAt: number, v: number) => (i % 7 === nullAt ? NaN : v);

describe('streamMatrixRows', () => {
  it('reads every chunk in order into per-column arrays and a row-major block, NULL as NaN', async () => {
    const r = await streamMatrixRows(conn, rowsSql, { singles: 2, blockWidth: 3 });
    expect(r.rows).toBe(ROWS);
    expect(r.gameIds[0]).toBe('g0');
    expect(r.gameIds[ROWS - 1]).toBe(`g${ROWS - 1}`);
    expect(r.dates[1]).toBe('2016-04-02');
    expect(r.synthetic).toBe(true);
    expect(r.block.length).toBe(ROWS * 3);
    for (let i = 0; i < ROWS; i++) {
      expect(r.seasons[i]).toBe(2000 + (i % 3));
      expect(Object.is(r.singles[0][i], expected(i, 0, i / 2))).toBe(true);
      expect(Object.is(r.singles[1][i], expected(i, 1, -i - 1))).toBe(true);
      for (let j = 0; j < 3; j++) expect(Object.is(r.block[i * 3 + j], expected(i, 2 + j, i * 10 + j))).toBe(true);
    }
  });

  it('returns empty arrays for a query without rows', async () => {
    const r = await streamMatrixRows(conn, `${rowsSql.replace('ORDER BY i', 'WHERE i < 0')}`, { singles: 2, blockWidth: 3 });
    expect(r.rows).toBe(0);
    expect(r.block.length).toBe(0);
    expect(r.singles.map((s) => s.length)).toEqual([0, 0]);
    expect(r.synthetic).toBe(false);
  });

  it('refuses a query whose columns do not match the layout, naming the column', async () => {
    const wrongCount = await streamMatrixRows(conn, rowsSql, { singles: 2, blockWidth: 4 }).catch((e: unknown) => e);
    expect(wrongCount).toBeInstanceOf(BullpenError);
    expect((wrongCount as BullpenError).code).toBe('MATRIX_LAYOUT');
    const notDouble = await streamMatrixRows(conn, `SELECT 'g', '2016-04-01', 2016::INTEGER, false, 1::INTEGER`, {
      singles: 1,
      blockWidth: 0,
    }).catch((e: unknown) => e);
    expect((notDouble as BullpenError).code).toBe('MATRIX_COLUMN_TYPE');
    expect((notDouble as BullpenError).message).toMatch(/column 4/);
  });
});
