import { sortedPresent, type CategoricalValues, type NumericValues, type PresentValues } from './columns';
import { categoricalBins, countCategorical, countNumeric, numericBins, type BinnedSample } from './psi';

/**
 * Jensen–Shannon distance in base 2 (so it lies in [0, 1]), as scipy.spatial.distance.jensenshannon(p, q,
 * base=2): the square root of the mean of KL(p ‖ m) and KL(q ‖ m) with m = (p + q) / 2. It is computed over
 * the PSI's bins (reference deciles, or categories) on the raw shares: unlike PSI it is finite with empty
 * bins, so no ε is added. Written here because simple-statistics has no divergence of distributions.
 */

export interface JensenShannonResult {
  value: number | null;
  reason: string | null;
}

/** x · ln(x / y) with scipy's rel_entr conventions: 0 when x = 0, +∞ when x > 0 = y. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** JS distance (base 2) of two count vectors over the same bins; null when either side is empty. */
export function jensenShannonFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): JensenShannonResult {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < reference.length; i++) {
    sp += reference[i];
    sq += current[i];
  }
  if (sp === 0) return { value: null, reason: 'every reference value is missing' };
  if (sq === 0) return { value: null, reason: 'every current value is missing' };
  let left = 0;
  let right = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = reference[i] / sp;
    const q = current[i] / sq;
    const m = (p + q) / 2;
    left += relEntr(p, m);
    right += relEntr(q, m);
  }
  // Rounding can leave −1e-17 for identical distributions, where scipy's terms are exactly 0.
  return { value: Math.sqrt(Math.max(0, (left + right) / Math.LN2 / 2)), reason: null };
}

function fromSamples(reference: BinnedSample, current: BinnedSample): JensenShannonResult {
  return jensenShannonFromCounts(reference.counts, current.counts);
}

/** JS distance of a numeric feature over the PSI's decile bins of the reference. */
export function jensenShannon(reference: NumericValues, current: NumericValues): JensenShannonResult {
  return jensenShannonOfPresent(sortedPresent(reference), sortedPresent(current));
}

export function jensenShannonOfPresent(reference: PresentValues, current: PresentValues): JensenShannonResult {
  if (reference.sorted.length === 0) return { value: null, reason: 'every reference value is missing' };
  const bins = numericBins(reference.sorted);
  return fromSamples(countNumeric(bins, reference), countNumeric(bins, current));
}

/** JS distance of a categorical or binary feature over the union of categories. */
export function categoricalJensenShannon(reference: CategoricalValues, current: CategoricalValues): JensenShannonResult {
  const bins = categoricalBins(reference, current);
  return fromSamples(countCategorical(bins, reference), countCategorical(bins, current));
}
