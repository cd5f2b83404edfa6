import { BullpenError } from '../../shared/errors';
import { preview } from './textPreview';

/**
 * A problem in one field of one line of a file already recognised as the expected format: the message
 * names all four and what was expected, quoting the value only as a short escaped preview.
 */
export function rowError(code: string, file: string, line: number, field: string, value: string, expected: string): BullpenError {
  const shown = preview(value);
  return new BullpenError(
    'input',
    code,
    `${file} line ${line}, field ${field}: invalid value "${shown}": ${expected}; nothing was imported`,
    {
      file,
      line,
      field,
      value: shown,
    },
  );
}

/** Parses yyyymmdd or yyyy-mm-dd into an ISO date, or undefined when it is not a real calendar date. */
export function parseCalendarDate(value: string): string | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || y < 1871 || y > 2100) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}
