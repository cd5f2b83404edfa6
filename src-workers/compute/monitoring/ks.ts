import { sortedPresent, type NumericValues, type PresentValues } from './columns';
import { kolmogorovSf, probOutsideBand, probOutsideSquare } from './kolmogorov';

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp with its default method='auto':
 * - the statistic is the largest gap between the two empirical CDFs, evaluated at every observed value, so
 *   ties are handled exactly as scipy's searchsorted does;
 * - when both samples hold at most 10,000 values the p-value is exact (the lattice-path count of Hodges,
 *   in scipy's form: the equal-size formula when the sizes match, the sliding-column recursion otherwise),
 *   with the statistic rounded to the lattice, h / lcm(n1, n2), as scipy reports it;
 * - above that, or if the exact computation fails (it falls back like scipy), the p-value is asymptotic:
 *   the one-sample Kolmogorov distribution at n = round(n1·n2 / (n1 + n2)) (scipy's kstwo.sf).
 * The exact p-value assumes continuous data; with ties it is conservative, as scipy's.
 */

export const KS_EXACT_MAX_N = 10_000;
export type KsMethod = 'exact' | 'asymptotic';

export interface KsResult {
  statistic: number | null;
  pValue: number | null;
  method: KsMethod | null;
  reason: string | null;
  n: { reference: number; current: number };
  missing: { reference: number; current: number };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The two-sided KS statistic of two sorted, non-empty samples. */
export function ksStatisticSorted(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] <= v) i++;
    while (j < n2 && y[j] <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  return minS > maxDiff ? minS : maxDiff;
}

/** Exact p-value and lattice-rounded statistic, or null when the computation leaves [0, 1] (scipy then goes asymptotic). */
function exactPValue(n1: number, n2: number, d: number): { d: number; p: number } | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dl = h / lcm;
  if (h === 0) return { d: dl, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return p >= 0 && p <= 1 ? { d: dl, p } : null;
}

function asymptoticPValue(n1: number, n2: number, d: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  return kolmogorovSf(roundHalfEven((m * n) / (m + n)), d);
}

/** KS test of two sorted, non-empty samples (reference first). */
export function ksTestSorted(x: ArrayLike<number>, y: ArrayLike<number>): { statistic: number; pValue: number; method: KsMethod } {
  const d = ksStatisticSorted(x, y);
  if (Math.max(x.length, y.length) <= KS_EXACT_MAX_N) {
    const exact = exactPValue(x.length, y.length, d);
    if (exact) return { statistic: exact.d, pValue: Math.min(1, Math.max(0, exact.p)), method: 'exact' };
  }
  return { statistic: d, pValue: Math.min(1, Math.max(0, asymptoticPValue(x.length, y.length, d))), method: 'asymptotic' };
}

export function ksTestOfPresent(reference: PresentValues, current: PresentValues): KsResult {
  const base = {
    n: { reference: reference.sorted.length, current: current.sorted.length },
    missing: { reference: reference.missing, current: current.missing },
  };
  if (reference.sorted.length === 0)
    return { statistic: null, pValue: null, method: null, reason: 'every reference value is missing', ...base };
  if (current.sorted.length === 0)
    return { statistic: null, pValue: null, method: null, reason: 'every current value is missing', ...base };
  return { ...ksTestSorted(reference.sorted, current.sorted), reason: null, ...base };
}

/** KS statistic and p-value of a current window against the reference; missing values are left out and counted. */
export function ksTest(reference: NumericValues, current: NumericValues): KsResult {
  return ksTestOfPresent(sortedPresent(reference), sortedPresent(current));
}
