import { parse } from 'csv-parse/sync';
import { inputError } from '../../shared/errors';
import { rowError } from './rowError';

export interface CsvRecord {
  line: number;
  get(field: string): string;
}

/** Parses a headed CSV, checking required columns and field counts, naming file and line in errors. */
export function readHeadedCsv(docName: string, text: string, required: string[]): { header: string[]; records: CsvRecord[] } {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { relax_column_count: true, info: true, skip_empty_lines: true, bom: true }) as unknown as typeof rows;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw inputError('CSV_MALFORMED', `${docName} line ${e.lines ?? '?'}: not valid CSV (${e.message}); nothing was imported`, { file: docName, line: e.lines ?? null });
  }
  if (!rows.length) throw inputError('EMPTY_FILE', `${docName}: the file is empty; nothing was imported`, { file: docName });
  const header = rows[0].record.map((h) => h.trim());
  const missing = required.filter((r) => !header.includes(r));
  if (missing.length) {
    throw inputError('MISSING_COLUMNS', `${docName} line 1: missing column(s) ${missing.join(', ')}; the header is: ${header.join(',')}`, { file: docName, line: 1, missing });
  }
  const index = new Map(header.map((h, i) => [h, i]));
  const records = rows.slice(1).map(({ record, info }) => {
    if (record.length !== header.length) {
      throw inputError('FIELD_COUNT', `${docName} line ${info.lines}: expected ${header.length} fields as in the header, found ${record.length}; nothing was imported`, {
        file: docName,
        line: info.lines,
        field: null,
        value: record.length,
      });
    }
    return { line: info.lines, get: (field: string) => (index.has(field) ? record[index.get(field) as number].trim() : '') };
  });
  return { header, records };
}

/** A number from a CSV field, or null when empty; anything else non-numeric is a row error. */
export function numberField(file: string, rec: CsvRecord, field: string): number | null {
  const raw = rec.get(field);
  if (raw === '' || raw.toUpperCase() === 'NA') return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw rowError('INVALID_NUMBER', file, rec.line, field, raw, 'expected a number');
  return n;
}

/** An ISO timestamp from a CSV field, or null when empty. */
export function timestampField(file: string, rec: CsvRecord, field: string): string | null {
  const raw = rec.get(field);
  if (raw === '') return null;
  const t = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(t)) throw rowError('INVALID_TIMESTAMP', file, rec.line, field, raw, 'expected an ISO timestamp such as 2016-04-03T17:05:00Z');
  return new Date(t).toISOString();
}
