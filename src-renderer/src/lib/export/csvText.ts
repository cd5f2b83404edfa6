/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180); null is empty. */
function field(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A header line and one line per row, each ending in a newline. */
export function csvText(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => `${r.map(field).join(',')}\n`).join('');
}
