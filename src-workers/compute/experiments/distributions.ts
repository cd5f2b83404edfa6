import { gammaln } from 'simple-statistics';
import { normalPdf, normalQuantile } from '../stats/normal';

/**
 * Tail probabilities the experiment statistics need to relative, not only absolute, accuracy. Written here
 * because simple-statistics has no incomplete gamma function (its chi-square test reads a table with a
 * handful of levels) and its erf, behind stats/normal, is accurate to about 1e-7 absolute: enough for an
 * interval, not for an SRM p-value of 1e-9 or an expected loss of 1e-6 computed as a difference of tails.
 * Both tails come from the regularized incomplete gamma function (series below a + 1, Lentz's continued
 * fraction above, as in Numerical Recipes §6.2), accurate to about 1e-14 relative.
 */

const MAX_TERMS = 500;
const EPS = 1e-16;
const TINY = 1e-300;
const NEWTON_STEPS = 2;

function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - gammaln(a));
}

function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - gammaln(a)) * h;
}

/** Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma function, for a > 0 and x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/** P(χ²_df ≥ x): the p-value of a chi-square statistic. */
export function chiSquareSf(x: number, df: number): number {
  return regularizedGammaQ(df / 2, x / 2);
}

/** P(Z > z) for a standard normal Z, accurate relative to itself far into either tail (erfc(z/√2)/2 = Q(½, z²/2)/2). */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const half = 0.5 * regularizedGammaQ(0.5, 0.5 * z * z);
  return z >= 0 ? half : 1 - half;
}

/** Φ(z) with normalSf's accuracy in the lower tail. */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

/** Φ⁻¹(p): stats/normal's quantile refined by Newton steps on this module's CDF, so a critical value agrees with scipy's to ~1e-12. */
export function normalQuantileAccurate(p: number): number {
  let x = normalQuantile(p);
  if (!Number.isFinite(x)) return x;
  for (let i = 0; i < NEWTON_STEPS; i++) x -= (normalCdf(x) - p) / normalPdf(x);
  return x;
}
