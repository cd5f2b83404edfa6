/** The most of a user's file an error message may quote: enough to spot a typo, never a whole line. */
export const PREVIEW_CHARS = 80;

/** Characters that print as nothing or reorder text on a terminal (bidi overrides, zero-width, separators). */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/;

const escapeChar = (ch: string): string => {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  const cp = ch.codePointAt(0) as number;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (INVISIBLE.test(ch)) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return ch;
};

/**
 * A short printable excerpt of file content for messages and error details: control and invisible
 * characters escaped, cut at `max` characters with an ellipsis. It stops reading at the cut, so a
 * megabyte-long value costs no more than a short one.
 */
export function preview(value: string, max = PREVIEW_CHARS): string {
  let out = '';
  for (const ch of value) {
    const shown = escapeChar(ch);
    if (out.length + shown.length > max) return `${out}…`;
    out += shown;
  }
  return out;
}
