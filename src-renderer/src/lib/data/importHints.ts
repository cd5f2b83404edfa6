import { BullpenError } from '../../../../src-main/shared/errors';
import type { UploadedFile } from './uploadFile';

/** An import failure as the wizard shows it: where (file, line, field, value) and what to do next. */
export interface ImportProblem {
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  field: string | null;
  value: string | null;
  hint: string;
}

/** What to do about each importer error code; the default says the workspace was not touched. */
const HINTS: Record<string, string> = {
  FIELD_COUNT:
    'Each line must have as many fields as the format: 161 for a Retrosheet game log (GLyyyy.TXT), the header’s count for a CSV. Check that this is the right kind of file, or fix the line.',
  INVALID_DATE: 'Dates are yyyymmdd (Retrosheet) or yyyy-mm-dd (CSV) and must exist in the calendar. Fix the date on that line.',
  INVALID_NUMBER: 'The field must be a number (or empty where the format allows). Fix the value on that line.',
  INVALID_ODDS: 'Prices are American (≤ -100 or ≥ 100) or decimal (> 1). Fix the price, or choose the right odds format.',
  INVALID_TIMESTAMP: 'Timestamps are ISO 8601, e.g. 2016-04-03T17:05:00Z. Fix the value on that line.',
  INVALID_FLAG: 'Flags are 1/0 or true/false. Fix the value on that line.',
  UNKNOWN_TEAM:
    'Use a Retrosheet team code (NYA, BOS), a full team name of that era, or a common book abbreviation. Fix the team on that line.',
  MISSING_VALUE: 'This field is required. Fill it in on that line.',
  MISSING_COLUMNS: 'The header lacks required columns: see the import formats (FORMATS.md) and rename or add them.',
  CSV_MALFORMED: 'The file is not valid CSV near that line (often an unclosed quote). Fix the quoting and import again.',
  FILE_EMPTY: 'The file holds no rows. Choose the right file.',
  RESULT_CHANGED:
    'This file would drop or change a final result already in the workspace. If the file is right (a corrected score), tick “Let this file replace final results” and import again; each replacement is listed.',
  FUTURE_RESULT: 'A game dated in the future cannot have a final score. Fix the date or remove the scores on that line.',
  FILE_TOO_LARGE:
    'The file decompresses to more than the import limit. If it is genuine, import it from the command line with BULLPEN_IMPORT_MAX_BYTES raised.',
  LINE_TOO_LONG: 'A line is far longer than any real game log or odds file has. Check that this is the right file.',
  NESTED_ARCHIVE: 'An archive inside an archive is not read. Extract the inner file and import it directly.',
  UNSUPPORTED_ARCHIVE: 'Only .gz and .zip (stored or deflated) archives are read. Re-pack the file as .zip or .gz.',
  ZIP_TOO_MANY_MEMBERS: 'The archive holds too many files. Import the game logs in smaller archives.',
  FILE_ENCODING: 'The file is not UTF-8 (or Latin-1) text. Save it as UTF-8 and import it again.',
  NOT_TEXT: 'This is not a text file of the kind chosen. Choose the right file.',
  WRONG_FORMAT: 'The file is not of the kind chosen above. Choose the matching kind, or the right file.',
  FILE_CORRUPT: 'The archive could not be decompressed. Download the file again.',
  LINES_NEED_GAMES: 'Choose both Pinnacle files together: the per-game file (mlb2016_games.csv) and the line history.',
  DUPLICATE_GAME: 'The same game (date, home team, game number) appears twice. Remove one of the lines.',
  UPLOAD_TOO_LARGE: 'Import this file from the command line, which reads files of any size.',
  WORKSPACE_HAS_REAL_DATA: 'Build the demo league in a workspace of its own (`bullpen demo --workspace demo.duckdb`).',
};
const UNCHANGED = 'Nothing was imported: the workspace is unchanged. Fix the file and import it again.';

const asString = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p;

/** Reads the engine's error details and replaces upload paths with the names the user chose. */
export function describeImportError(err: unknown, uploads: UploadedFile[]): ImportProblem {
  const restore = (text: string): string => uploads.reduce((t, u) => t.split(u.path).join(u.name), text);
  if (!(err instanceof BullpenError)) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      code: 'UNREACHABLE',
      message,
      file: null,
      line: null,
      field: null,
      value: null,
      hint: 'The engine did not answer. Check that Bullpen is still running, then try again.',
    };
  }
  const d = err.details ?? {};
  const file = asString(d.file);
  const line = typeof d.line === 'number' ? d.line : null;
  return {
    code: err.code,
    message: restore(err.message),
    file: file === null ? null : baseName(restore(file)),
    line,
    field: asString(d.field),
    value: asString(d.value),
    hint: `${HINTS[err.code] ?? (err.kind === 'input' ? 'Fix the file and try again.' : 'Try again; if it persists, report the message.')}${err.kind === 'input' ? ` ${UNCHANGED}` : ''}`,
  };
}
