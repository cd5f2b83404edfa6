import { meanAndSd, sortedPresent, type NumericValues, type PresentValues } from './columns';

/**
 * 1-D Wasserstein (earth mover's) distance between two samples, as scipy.stats.wasserstein_distance(u, v):
 * ∫ |U(x) − V(x)| dx over the empirical CDFs, summed over the gaps between the pooled sorted values. Written
 * here because simple-statistics has no distance between samples.
 *
 * The normalised version divides by the reference's population standard deviation (ddof 0, numpy's std), as
 * Evidently's `wasserstein_distance_norm`, so one threshold (Evidently's 0.1) fits features of any scale. A
 * constant reference has no scale: the normalised distance is null with the reason (Evidently floors the
 * deviation at 0.001 instead, which turns any change of a constant feature into a huge number).
 */

export interface WassersteinResult {
  value: number | null;
  /** value / reference standard deviation. */
  normalized: number | null;
  referenceSd: number | null;
  reason: string | null;
}

/** Distance between two sorted, non-empty samples. */
export function wassersteinSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  // Walk the pooled values in order; between consecutive pooled values x_k < x_{k+1} both CDFs are flat.
  let prev = Math.min(u[0], v[0]);
  while (i < nu || j < nv) {
    const x = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    // CDFs just before x (right-continuous at prev): counts of values ≤ prev.
    sum += Math.abs(i / nu - j / nv) * (x - prev);
    while (i < nu && u[i] === x) i++;
    while (j < nv && v[j] === x) j++;
    prev = x;
  }
  return sum;
}

export function wasserstein(reference: NumericValues, current: NumericValues): WassersteinResult {
  return wassersteinOfPresent(sortedPresent(reference), sortedPresent(current));
}

export function wassersteinOfPresent(reference: PresentValues, current: PresentValues): WassersteinResult {
  if (reference.sorted.length === 0)
    return { value: null, normalized: null, referenceSd: null, reason: 'every reference value is missing' };
  if (current.sorted.length === 0) return { value: null, normalized: null, referenceSd: null, reason: 'every current value is missing' };
  const value = wassersteinSorted(reference.sorted, current.sorted);
  const { sd } = meanAndSd(reference.sorted);
  if (!(sd > 0)) return { value, normalized: null, referenceSd: sd, reason: 'the reference is constant: no scale to normalise by' };
  return { value, normalized: value / sd, referenceSd: sd, reason: null };
}
