import { randomUUID } from 'node:crypto';
import type { Sql } from '../workspace/sql';

export interface ImportRecord {
  kind: string;
  files: string[];
  startedAt: Date;
  rowsRead: number;
  inserted: number;
  updated: number;
  unmatched: number;
  synthetic?: boolean;
  details?: Record<string, unknown>;
}

export const newImportId = (): string =>
  `imp_${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}_${randomUUID().slice(0, 8)}`;

/** Writes the import's row inside the importer's transaction, so a failed import leaves no log entry either. */
export async function logImport(sql: Sql, id: string, r: ImportRecord): Promise<void> {
  await sql.run(`INSERT INTO imports VALUES (?, ?, ?::JSON, ?::TIMESTAMPTZ, now(), ?, ?, ?, ?, ?, ?::JSON)`, [
    id,
    r.kind,
    JSON.stringify(r.files),
    r.startedAt.toISOString(),
    r.rowsRead,
    r.inserted,
    r.updated,
    r.unmatched,
    r.synthetic ?? false,
    JSON.stringify(r.details ?? {}),
  ]);
}
