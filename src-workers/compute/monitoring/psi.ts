import { quantileSorted } from '../stats/bootstrap';
import { categoryKey, isMissingCategory, sortedPresent, type CategoricalValues, type NumericValues, type PresentValues } from './columns';

/**
 * Population stability index, Σ (c − r) · ln(c / r) over bins of the reference and current shares.
 *
 * Numeric binning (written here: neither simple-statistics nor the stats module bins for PSI):
 * - edges are the reference's deciles q1…q9 (linear interpolation, numpy's default quantile), deduplicated,
 *   so ties at a decile (a discrete feature, a floor of zeros) merge bins instead of making empty ones;
 * - bins are right-closed and the outer ones open: (−∞, q1], (q1, q2], …, (q9, +∞), so values outside the
 *   reference's range land in the outer bins and still count;
 * - a constant reference (every decile equal to c) gets two bins, "= c" and "≠ c": its PSI is 0 while the
 *   current is also all c and grows with the share of other values on either side of c (one bin, as the
 *   deciles would give, could never show a change, and (−∞, c], (c, ∞) would miss values below c).
 * Categorical and binary features are binned by category over the union of both sides' categories.
 *
 * Missing values (null, NaN, ±∞) are excluded and reported as counts. Empty bins get ε = 1e-4 in place of
 * their zero share and each side is renormalised to sum to 1 (ε alone would make the shares sum above 1).
 * An all-missing (or empty) side gives a null value with the reason.
 */

export const PSI_EPSILON = 1e-4;
export const DECILE_PROBABILITIES = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i / 10);

export type NumericBins = { kind: 'numeric'; constant: false; edges: Float64Array } | { kind: 'numeric'; constant: true; value: number };
export type CategoricalBins = { kind: 'categorical'; categories: string[] };
export type PsiBins = NumericBins | CategoricalBins;

export interface BinnedSample {
  counts: Float64Array;
  missing: number;
}

export interface PsiBin {
  label: string;
  /** Share after ε for empty bins and renormalisation. */
  reference: number;
  current: number;
  /** (current − reference) · ln(current / reference): this bin's part of the PSI. */
  contribution: number;
}

export interface PsiResult {
  value: number | null;
  /** Why the value is null. */
  reason: string | null;
  bins: PsiBin[];
  counts: { reference: number[]; current: number[] };
  missing: { reference: number; current: number };
}

/** Decile edges of a sorted, non-empty reference; a single edge means a constant feature. */
export function numericBins(sortedReference: ArrayLike<number>): NumericBins {
  const edges: number[] = [];
  for (const q of DECILE_PROBABILITIES) {
    const e = quantileSorted(sortedReference, q);
    if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
  }
  if (edges.length === 1) return { kind: 'numeric', constant: true, value: edges[0] };
  return { kind: 'numeric', constant: false, edges: Float64Array.from(edges) };
}

/** Bin of a value: the number of edges strictly below it, so bin i is (edges[i−1], edges[i]]. */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function binCount(bins: PsiBins): number {
  if (bins.kind === 'categorical') return bins.categories.length;
  return bins.constant ? 2 : bins.edges.length + 1;
}

/** Counts of present numeric values per bin. */
export function countNumeric(bins: NumericBins, present: PresentValues): BinnedSample {
  const counts = new Float64Array(binCount(bins));
  const { sorted } = present;
  if (bins.constant) {
    for (let i = 0; i < sorted.length; i++) counts[sorted[i] === bins.value ? 0 : 1]++;
  } else {
    for (let i = 0; i < sorted.length; i++) counts[binOf(bins.edges, sorted[i])]++;
  }
  return { counts, missing: present.missing };
}

export function binLabels(bins: PsiBins): string[] {
  if (bins.kind === 'categorical') return bins.categories;
  if (bins.constant) return [`= ${bins.value}`, `≠ ${bins.value}`];
  const e = Array.from(bins.edges);
  return [`(-inf, ${e[0]}]`, ...e.slice(1).map((x, i) => `(${e[i]}, ${x}]`), `(${e[e.length - 1]}, inf)`];
}

/** Shares with ε for empty bins, renormalised; null for an empty side. */
export function smoothedShares(counts: ArrayLike<number>, epsilon = PSI_EPSILON): Float64Array | null {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  if (n === 0) return null;
  const s = new Float64Array(counts.length);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    s[i] = counts[i] > 0 ? counts[i] / n : epsilon;
    total += s[i];
  }
  for (let i = 0; i < s.length; i++) s[i] /= total;
  return s;
}

/** PSI of two binned samples over the same bins. */
export function psiFromCounts(labels: readonly string[], reference: BinnedSample, current: BinnedSample, epsilon = PSI_EPSILON): PsiResult {
  const r = smoothedShares(reference.counts, epsilon);
  const c = smoothedShares(current.counts, epsilon);
  const base = {
    counts: { reference: Array.from(reference.counts), current: Array.from(current.counts) },
    missing: { reference: reference.missing, current: current.missing },
  };
  if (!r || !c)
    return {
      value: null,
      reason: !r ? 'every reference value is missing' : 'every current value is missing',
      bins: [],
      ...base,
    };
  const bins: PsiBin[] = [];
  let value = 0;
  for (let i = 0; i < r.length; i++) {
    const contribution = (c[i] - r[i]) * Math.log(c[i] / r[i]);
    value += contribution;
    bins.push({ label: labels[i], reference: r[i], current: c[i], contribution });
  }
  return { value, reason: null, bins, ...base };
}

/** PSI of a numeric feature with the reference-decile binning described above. */
export function psi(reference: NumericValues, current: NumericValues, epsilon = PSI_EPSILON): PsiResult {
  return psiOfPresent(sortedPresent(reference), sortedPresent(current), epsilon);
}

/** PSI from already sorted present values (the feature-drift monitor sorts each column once for every statistic). */
export function psiOfPresent(reference: PresentValues, current: PresentValues, epsilon = PSI_EPSILON): PsiResult {
  if (reference.sorted.length === 0)
    return psiFromCounts([], { counts: new Float64Array(0), missing: reference.missing }, countEmpty(current), epsilon);
  const bins = numericBins(reference.sorted);
  return psiFromCounts(binLabels(bins), countNumeric(bins, reference), countNumeric(bins, current), epsilon);
}

function countEmpty(present: PresentValues): BinnedSample {
  return { counts: new Float64Array(0), missing: present.missing };
}

/** Category bins over the union of both sides, sorted so the same data always gives the same bin order. */
export function categoricalBins(reference: CategoricalValues, current: CategoricalValues): CategoricalBins {
  const seen = new Set<string>();
  for (const values of [reference, current])
    for (let i = 0; i < values.length; i++) if (!isMissingCategory(values[i])) seen.add(categoryKey(values[i]));
  return { kind: 'categorical', categories: [...seen].sort() };
}

export function countCategorical(bins: CategoricalBins, values: CategoricalValues): BinnedSample {
  const index = new Map(bins.categories.map((c, i) => [c, i]));
  const counts = new Float64Array(bins.categories.length);
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissingCategory(v)) missing++;
    else counts[index.get(categoryKey(v)) as number]++;
  }
  return { counts, missing };
}

/** PSI of a categorical or binary feature, one bin per category; a category new in the current window counts against ε. */
export function categoricalPsi(reference: CategoricalValues, current: CategoricalValues, epsilon = PSI_EPSILON): PsiResult {
  const bins = categoricalBins(reference, current);
  return psiFromCounts(binLabels(bins), countCategorical(bins, reference), countCategorical(bins, current), epsilon);
}
