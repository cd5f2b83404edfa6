import type { Rng } from '../../stats/rng';
import { logNdtr, ndtr, ndtriExp, normLogPdf } from './gauss';

/**
 * The normal distribution truncated to [a, b] (in standard units), as Optuna's TPE uses it: masses in
 * log space, computed in whichever tail keeps them accurate, and sampling by inverting the CDF.
 */

/** log(eᵖ − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  if (q === -Infinity) return p;
  return p + Math.log1p(-Math.exp(q - p));
}

function logAddExp(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  const m = Math.max(p, q);
  return m + Math.log1p(Math.exp(-Math.abs(p - q)));
}

/** log(Φ(b) − Φ(a)): in the lower tail when b ≤ 0, mirrored when a > 0, and as 1 − the two tails across 0. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** log-density at x of N(mu, sigma²) truncated to [low, high] (−∞ outside). `logMass` = logGaussMass of the standardized bounds. */
export function truncNormLogPdf(x: number, mu: number, sigma: number, low: number, high: number, logMass: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return normLogPdf(z) - logMass - Math.log(sigma);
}

/** The q-quantile (q in [0, 1]) of the standard normal truncated to [a, b]. */
export function truncNormPpf(q: number, a: number, b: number): number {
  if (q <= 0) return a;
  if (q >= 1) return b;
  const logMass = logGaussMass(a, b);
  let z: number;
  if (a < 0) {
    z = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logMass));
  } else {
    // The upper tail is the accurate side here: solve for Φ(−z) = Φ(−b) + (1 − q)·mass.
    z = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logMass));
  }
  return Math.min(b, Math.max(a, z));
}

/** One draw of N(mu, sigma²) truncated to [low, high]. */
export function sampleTruncNorm(rng: Rng, mu: number, sigma: number, low: number, high: number): number {
  const z = truncNormPpf(rng.nextFloat(), (low - mu) / sigma, (high - mu) / sigma);
  return Math.min(high, Math.max(low, mu + sigma * z));
}
