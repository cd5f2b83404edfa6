/**
 * Numbers as the gates' explanations print them: percentages with an explicit sign where the sign matters
 * (ROI, interval bounds) and a real minus sign, counts with thousands separators, so one line reads at a glance.
 */

const MINUS = '\u2212';

/** `rounded` is the value as printed, so −0.0004 printed as "0.0" carries no sign. */
function signed(text: string, rounded: number, withPlus: boolean): string {
  const bare = text.replace('-', '');
  if (rounded < 0) return MINUS + bare;
  return withPlus && rounded > 0 ? `+${bare}` : bare;
}

/** 0.038 → "+3.8%" (signed) or "3.8%"; −0.016 → "−1.6%". */
export function percent(x: number, options: { signed?: boolean; digits?: number } = {}): string {
  const text = `${(x * 100).toFixed(options.digits ?? 1)}%`;
  return signed(text, Number((x * 100).toFixed(options.digits ?? 1)), options.signed ?? false);
}

/** A plain number with a fixed number of decimals and a real minus sign. */
export function decimal(x: number, digits: number, withPlus = false): string {
  return signed(x.toFixed(digits), Number(x.toFixed(digits)), withPlus);
}

/** 1450 → "1,450". */
export function whole(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A p-value readable at both ends and never rounded onto a threshold: 0.31, 0.055, 0.0012, "< 0.0001". */
export function pValue(p: number): string {
  if (p < 1e-4) return '< 0.0001';
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
}

/** "a, b and c". */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Decimals enough that a value and its threshold never print the same while they differ (an ECE of 0.0303
 * against a 0.030 limit reads "0.0303 … beyond the 0.030 limit", not "0.030 … beyond 0.030").
 */
export function digitsApart(x: number, threshold: number, digits: number, scale = 1): number {
  for (let d = digits; d < digits + 4; d++) if ((x * scale).toFixed(d) !== (threshold * scale).toFixed(d) || x === threshold) return d;
  return digits + 4;
}
