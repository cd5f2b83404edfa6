import { writeFileSync } from 'node:fs';
import { tableFromJSON, tableToIPC } from 'apache-arrow';
import { inputError, notFoundError } from '../../shared/errors';
import { writeAtomically } from '../files/atomicWrite';
import type { Sql } from '../workspace/sql';
import type { Workspace } from '../workspace/workspace';

export type ExportFormat = 'parquet' | 'csv' | 'arrow';

const FORMAT_BY_EXTENSION: Record<string, ExportFormat> = {
  parquet: 'parquet',
  pq: 'parquet',
  csv: 'csv',
  arrow: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
};

/**
 * The format to write: the one asked for, else the one the file name says (x.csv is CSV), else Parquet.
 * Asking for one format in a file named for another is refused, so `--out x.csv` never holds Parquet.
 */
export function exportFormatFor(out: string, format?: ExportFormat): ExportFormat {
  const ext = /\.([A-Za-z]+)$/.exec(out)?.[1]?.toLowerCase();
  const implied = ext ? FORMAT_BY_EXTENSION[ext] : undefined;
  if (format && implied && format !== implied) {
    throw inputError(
      'EXPORT_FORMAT_MISMATCH',
      `--format ${format} does not match the file name ${out} (.${ext} is ${implied}): change one of them`,
      { out, format, implied },
    );
  }
  return format ?? implied ?? 'parquet';
}

/** Names of the workspace's tables, the only things export accepts (so a name is never SQL). */
export async function tableNames(sql: Sql): Promise<string[]> {
  const rows = await sql.all<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Plain JSON values for Arrow: dates as ISO text, BIGINT as numbers, nested values as JSON text. */
function arrowFriendly(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

/**
 * Writes a table (or any SELECT the engine builds) to Parquet or CSV with DuckDB's COPY, or to an
 * Arrow IPC file through apache-arrow. Returns the row count written. `out` was checked by the path
 * policy; the file appears whole or not at all, and never replaces the workspace or a DuckDB file.
 */
export async function exportQuery(ws: Workspace, select: string, format: ExportFormat, out: string): Promise<number> {
  return writeAtomically(
    out,
    async (temp) => {
      if (format === 'arrow') {
        const reader = await ws.connection.runAndReadAll(select);
        const rows = reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, arrowFriendly(v)])));
        writeFileSync(temp, tableToIPC(tableFromJSON(rows), 'file'));
        return rows.length;
      }
      const opts = format === 'parquet' ? '(FORMAT parquet)' : '(FORMAT csv, HEADER true)';
      await ws.run(`COPY (${select}) TO ${quoteLiteral(temp)} ${opts}`);
      return Number(await ws.value(`SELECT count(*) FROM (${select})`));
    },
    { workspacePath: ws.path },
  );
}

/** Exports one named workspace table to `out`, a path the caller's path policy allowed. */
export async function exportTable(
  ws: Workspace,
  table: string,
  requested: ExportFormat | undefined,
  out: string,
): Promise<{ table: string; format: ExportFormat; out: string; rows: number }> {
  const names = await tableNames(ws);
  if (!names.includes(table)) throw notFoundError('TABLE_NOT_FOUND', `no table named ${table}; tables: ${names.join(', ')}`, { table });
  if (!out) throw inputError('MISSING_OUT', 'give --out FILE');
  const format = exportFormatFor(out, requested);
  const rows = await exportQuery(ws, `SELECT * FROM ${quoteIdent(table)}`, format, out);
  return { table, format, out, rows };
}
