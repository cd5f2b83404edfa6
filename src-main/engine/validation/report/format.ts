import { decimal, percent, pValue, whole } from '../../../../src-workers/compute/validation/format';

/**
 * Numbers as the report prints them for people: the same percent, decimal and p-value style as the gates'
 * explanations (shared formatters), with a dash wherever a statistic could not be measured (stored as null).
 */

export const NONE = '—';

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** 0.038 → "3.8%" (or "+3.8%" when signed); null → "—". */
export function fmtPercent(x: number | null | undefined, options: { signed?: boolean; digits?: number } = {}): string {
  return finite(x) ? percent(x, options) : NONE;
}

/** A decimal with a real minus sign; null → "—". */
export function fmtDecimal(x: number | null | undefined, digits: number, signed = false): string {
  return finite(x) ? decimal(x, digits, signed) : NONE;
}

/** 1450 → "1,450"; null → "—". */
export function fmtCount(x: number | null | undefined): string {
  return finite(x) ? whole(x) : NONE;
}

export function fmtPValue(x: number | null | undefined): string {
  return finite(x) ? pValue(x) : NONE;
}

/** A number of unknown scale: whole numbers with separators, others to 4 significant digits. */
export function fmtNumber(x: number | null | undefined): string {
  if (!finite(x)) return NONE;
  if (Number.isInteger(x)) return whole(x);
  if (Math.abs(x) >= 1000) return decimal(x, 0);
  // Four significant digits at most (six decimals for tiny values), without trailing zeros.
  const digits = Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x)))));
  const text = decimal(x, digits);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** "2016-10-02T14:03:11.000Z" → "2016-10-02 14:03 UTC"; anything unparsable is printed as it came. */
export function fmtDateTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** [2000, 2001, 2002, 2005] → "2000–2002, 2005". */
export function fmtSeasons(seasons: readonly number[]): string {
  if (seasons.length === 0) return NONE;
  const sorted = [...new Set(seasons)].sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = sorted[0];
  let prev = sorted[0];
  for (const s of [...sorted.slice(1), Number.NaN]) {
    if (s === prev + 1) {
      prev = s;
      continue;
    }
    ranges.push(start === prev ? String(start) : `${start}\u2013${prev}`);
    start = s;
    prev = s;
  }
  return ranges.join(', ');
}

/** "flatDrawdownUnits" → "flat drawdown units", so detail keys read as words. */
export function humanKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

/** Detail keys whose numbers are shares or returns, printed as percentages. */
const PERCENT_DETAILS = new Set([
  'roi',
  'low',
  'high',
  'topKShare',
  'baseline',
  'accuracy',
  'marketAccuracy',
  'level',
  'probabilityOfLoss',
]);

export type DetailValue = number | string | boolean | null | readonly (number | string | null)[];

/** One entry of a gate's details, formatted for a person. */
export function fmtDetail(key: string, value: DetailValue): string {
  if (value === null) return NONE;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (key.toLowerCase().includes('pvalue')) return fmtPValue(value);
    return PERCENT_DETAILS.has(key) ? fmtPercent(value, { signed: key === 'roi' || key === 'low' || key === 'high' }) : fmtNumber(value);
  }
  if (value.length === 0) return 'none';
  return value.map((v) => (v === null ? NONE : typeof v === 'number' ? fmtNumber(v) : v)).join(', ');
}
