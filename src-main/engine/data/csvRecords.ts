import { parse } from 'csv-parse/sync';
import { inputError } from '../../shared/errors';
import { rowError } from './rowError';
import { preview } from './textPreview';

export interface CsvRecord {
  line: number;
  get(field: string): string;
}

const CSV_MESSAGE_CHARS = 160;

/** The first non-blank line and its 1-based number. */
function firstLine(text: string): { line: number; text: string } {
  let start = 0;
  let line = 1;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const candidate = text.slice(start, nl === -1 ? text.length : nl);
    if (candidate.trim() !== '' || nl === -1) return { line, text: candidate };
    start = nl + 1;
    line++;
  }
}

/**
 * Parses a headed CSV, checking required columns and field counts, naming file and line in errors.
 * `format` names the expected file (`games CSV`) for a file that is something else: such a file is
 * described (its field count), never quoted, since it may be anything the caller could read.
 */
export function readHeadedCsv(
  docName: string,
  text: string,
  required: string[],
  format: string,
): { header: string[]; records: CsvRecord[] } {
  const first = firstLine(text);
  let header: string[];
  try {
    header = ((parse(first.text, { relax_column_count: true, bom: true }) as string[][])[0] ?? []).map((h) => h.trim());
  } catch {
    throw inputError(
      'WRONG_FORMAT',
      `${docName} is not a ${format}: line ${first.line} is not a CSV header (expected one naming ${required.join(', ')}; see FORMATS.md); nothing was imported`,
      {
        file: docName,
        line: first.line,
        expected: format,
      },
    );
  }
  const present = required.filter((r) => header.includes(r));
  if (!present.length) {
    throw inputError(
      'WRONG_FORMAT',
      `${docName} is not a ${format}: line ${first.line} should be a header naming ${required.join(', ')} and has ${header.length} comma-separated field(s), none of them a required column (see FORMATS.md); nothing was imported`,
      { file: docName, line: first.line, expected: format, fields: header.length },
    );
  }
  const missing = required.filter((r) => !header.includes(r));
  if (missing.length) {
    throw inputError(
      'MISSING_COLUMNS',
      `${docName} line ${first.line}: missing column(s) ${missing.join(', ')}; the header is: ${preview(header.join(','))}`,
      { file: docName, line: first.line, missing },
    );
  }
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { relax_column_count: true, info: true, skip_empty_lines: true, bom: true }) as unknown as typeof rows;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw inputError(
      'CSV_MALFORMED',
      `${docName} line ${e.lines ?? '?'}: not valid CSV (${preview(e.message, CSV_MESSAGE_CHARS)}); nothing was imported`,
      { file: docName, line: e.lines ?? null },
    );
  }
  if (rows.length < 2) throw inputError('FILE_EMPTY', `${docName} has a header but no rows; nothing was imported`, { file: docName });
  const index = new Map(header.map((h, i) => [h, i]));
  const records = rows.slice(1).map(({ record, info }) => {
    if (record.length !== header.length) {
      throw inputError(
        'FIELD_COUNT',
        `${docName} line ${info.lines}: expected ${header.length} fields as in the header, found ${record.length}; nothing was imported`,
        {
          file: docName,
          line: info.lines,
          field: null,
          value: record.length,
        },
      );
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
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(t))
    throw rowError('INVALID_TIMESTAMP', file, rec.line, field, raw, 'expected an ISO timestamp such as 2016-04-03T17:05:00Z');
  return new Date(t).toISOString();
}
