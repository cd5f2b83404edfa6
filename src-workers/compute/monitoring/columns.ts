/**
 * Columns as monitors receive them. Numeric columns come from the engine as Float64Array with NaN for a
 * missing value (null is accepted too, for callers building arrays by hand); categorical columns hold strings,
 * numbers or booleans with null for missing.
 *
 * Anything that is not a finite number counts as missing in a numeric column: no distance (PSI bin, KS,
 * Wasserstein) is defined on ±∞, and the data-quality monitor reports such values with the missing ones.
 */

export type NumericValues = ArrayLike<number | null | undefined>;
export type CategoricalValue = string | number | boolean | null | undefined;
export type CategoricalValues = ArrayLike<CategoricalValue>;

/** Feature columns by name, all of one length (one row per game). */
export type FeatureColumns = Readonly<Record<string, NumericValues | CategoricalValues>>;

export const featureTypes = ['numeric', 'categorical', 'binary'] as const;
export type FeatureType = (typeof featureTypes)[number];

export function isMissingNumber(v: number | null | undefined): boolean {
  return v === null || v === undefined || !Number.isFinite(v);
}

export function isMissingCategory(v: CategoricalValue): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** The present values of a numeric column, sorted ascending, and how many were missing. */
export interface PresentValues {
  sorted: Float64Array;
  missing: number;
}

export function sortedPresent(values: NumericValues): PresentValues {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // isMissingNumber inlined: this loop runs over every value of every feature on every check.
    if (typeof v === 'number' && v - v === 0) out[k++] = v;
  }
  const sorted = out.slice(0, k).sort();
  return { sorted, missing: values.length - k };
}

/** Category of a value as a string key, so 1, '1' and true/false read the same in reference and current. */
export function categoryKey(v: CategoricalValue): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/**
 * The type a column is monitored as when the caller does not say: strings and booleans are categorical,
 * numbers that are all 0 or 1 in the reference are binary, other numbers numeric.
 */
export function inferFeatureType(values: NumericValues | CategoricalValues): FeatureType {
  let binary = true;
  let sawValue = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') return 'categorical';
    if (typeof v === 'boolean') return 'binary';
    if (!Number.isFinite(v)) continue;
    sawValue = true;
    if (v !== 0 && v !== 1) binary = false;
  }
  return sawValue && binary ? 'binary' : 'numeric';
}

/** Whether a column holds labels (strings or booleans) rather than numbers: missing and range checks read it by category. */
export function holdsLabels(values: NumericValues | CategoricalValues): boolean {
  for (let i = 0; i < values.length; i++) {
    const t = typeof values[i];
    if (t === 'string' || t === 'boolean') return true;
    if (t === 'number') return false;
  }
  return false;
}

/** Mean and population standard deviation (ddof 0, as numpy's std and Evidently's Wasserstein norm) of sorted values. */
export function meanAndSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN };
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += (values[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(q / n) };
}
