import {
  DuckDBBooleanVector,
  DuckDBDoubleVector,
  DuckDBIntegerVector,
  DuckDBVarCharVector,
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBVector,
} from '@duckdb/node-api';
import { BullpenError } from '../../shared/errors';

/**
 * What `streamMatrixRows` reads. The query's columns must be, in order: game id (VARCHAR), date
 * (VARCHAR), season (INTEGER), synthetic (BOOLEAN), then `singles` DOUBLE columns each returned as its
 * own array, then `blockWidth` DOUBLE columns returned together as one row-major block.
 */
export interface MatrixRowsLayout {
  singles: number;
  blockWidth: number;
}

export interface MatrixRows {
  rows: number;
  gameIds: string[];
  dates: string[];
  /** 0 where the season is NULL (as `Number(null)` gives). */
  seasons: Int32Array;
  /** True when any row is synthetic. */
  synthetic: boolean;
  /** One array per single column; NaN for NULL. */
  singles: Float64Array[];
  /** rows × blockWidth, row-major; NaN for NULL. */
  block: Float64Array;
}

const FIXED_COLUMNS = 4;

function vectorOf<T extends DuckDBVector>(chunk: DuckDBDataChunk, column: number, kind: abstract new (...args: never[]) => T): T {
  const v = chunk.getColumnVector(column);
  if (!(v instanceof kind)) {
    throw new BullpenError(
      'internal',
      'MATRIX_COLUMN_TYPE',
      `feature matrix column ${column} is ${v.type.toString()}, expected ${kind.name}`,
    );
  }
  return v;
}

/** Converts one chunk straight into its rows of the output arrays, starting at row `at`. */
function convertChunk(chunk: DuckDBDataChunk, layout: MatrixRowsLayout, out: MatrixRows, at: number): void {
  const n = chunk.rowCount;
  const ids = vectorOf(chunk, 0, DuckDBVarCharVector);
  const ds = vectorOf(chunk, 1, DuckDBVarCharVector);
  const season = vectorOf(chunk, 2, DuckDBIntegerVector);
  const synth = vectorOf(chunk, 3, DuckDBBooleanVector);
  for (let i = 0; i < n; i++) {
    out.gameIds.push(String(ids.getItem(i)));
    out.dates.push(String(ds.getItem(i)));
    out.seasons[at + i] = season.getItem(i) ?? 0;
    if (synth.getItem(i) === true) out.synthetic = true;
  }
  for (let k = 0; k < layout.singles; k++) {
    const v = vectorOf(chunk, FIXED_COLUMNS + k, DuckDBDoubleVector);
    const col = out.singles[k];
    for (let i = 0; i < n; i++) col[at + i] = v.getItem(i) ?? NaN;
  }
  // One pass per column down this chunk's rows of the row-major block: no boxed values, no copies.
  const width = layout.blockWidth;
  for (let j = 0; j < width; j++) {
    const v = vectorOf(chunk, FIXED_COLUMNS + layout.singles + j, DuckDBDoubleVector);
    for (let i = 0, p = at * width + j; i < n; i++, p += width) out.block[p] = v.getItem(i) ?? NaN;
  }
}

/**
 * Reads a query's result chunk by chunk (DuckDB's chunks hold 2048 rows), converting each straight into
 * arrays sized from the result's row count, so a 40k-game matrix never blocks the event loop in one piece:
 * every chunk fetch waits on DuckDB's thread and hands the loop back. The result is materialized in DuckDB
 * first (the ORDER BY needs every row anyway), which gives the row count and, unlike a streaming result,
 * survives other queries on the same connection meanwhile.
 */
export async function streamMatrixRows(connection: DuckDBConnection, sql: string, layout: MatrixRowsLayout): Promise<MatrixRows> {
  const result = await connection.run(sql);
  const expected = FIXED_COLUMNS + layout.singles + layout.blockWidth;
  if (result.columnCount !== expected) {
    throw new BullpenError(
      'internal',
      'MATRIX_LAYOUT',
      `feature matrix query returned ${result.columnCount} columns, expected ${expected}`,
    );
  }
  const rows = result.rowCount;
  const out: MatrixRows = {
    rows,
    gameIds: [],
    dates: [],
    seasons: new Int32Array(rows),
    synthetic: false,
    singles: Array.from({ length: layout.singles }, () => new Float64Array(rows)),
    block: new Float64Array(rows * layout.blockWidth),
  };
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    if (at + chunk.rowCount > rows)
      throw new BullpenError('internal', 'MATRIX_ROWS', `feature matrix result holds more than its ${rows} rows`);
    convertChunk(chunk, layout, out, at);
    at += chunk.rowCount;
  }
  if (at !== rows) throw new BullpenError('internal', 'MATRIX_ROWS', `feature matrix result gave ${at} of its ${rows} rows`);
  return out;
}
