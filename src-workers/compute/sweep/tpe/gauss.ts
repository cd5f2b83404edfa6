/**
 * The standard normal's CDF and its logarithm to double precision, far into both tails, which a
 * truncated-normal kernel needs: a kernel far from its bounds divides by masses like Φ(−30). (The
 * stats module's erf is good to 1e-7 only, enough for p-values, not for log-densities.)
 *
 * erf comes from its everywhere-positive series e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3···(2n+1)) for |x| < 2 and erfc
 * from Laplace's continued fraction beyond, evaluated by the modified Lentz method; the logarithm of the
 * lower tail is taken on the continued fraction itself, so it never underflows.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const LOG_HALF = Math.log(0.5);
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const CONTINUED_FRACTION_FROM = 2;
const EPS = 1e-16;
const TINY = 1e-300;

/** erf(x) for |x| < 2 (the series' terms are all positive, so no cancellation). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 0; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (Math.abs(term) < EPS * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** e^{x²}·erfc(x) for x ≥ 2: 1/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
function erfcxContinuedFraction(x: number): number {
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 1000; n++) {
    const a = n / 2;
    d = x + a * d;
    if (d === 0) d = TINY;
    c = x + a / c;
    if (c === 0) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return INV_SQRT_PI / f;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= CONTINUED_FRACTION_FROM) return 1 - erfc(x);
  if (x <= -CONTINUED_FRACTION_FROM) return erfc(-x) - 1;
  return erfSeries(x);
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  if (x >= CONTINUED_FRACTION_FROM) return Math.exp(-x * x) * erfcxContinuedFraction(x);
  if (x <= -CONTINUED_FRACTION_FROM) return 2 - Math.exp(-x * x) * erfcxContinuedFraction(-x);
  return 1 - erfSeries(x);
}

/** Φ(z). */
export function ndtr(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** log Φ(z), accurate in both tails (log Φ(−40) ≈ −804.6, log Φ(10) ≈ −7.6e−24). */
export function logNdtr(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === -Infinity) return -Infinity;
  if (z === Infinity) return 0;
  const y = -z / Math.SQRT2;
  if (y >= CONTINUED_FRACTION_FROM) return LOG_HALF - y * y + Math.log(erfcxContinuedFraction(y));
  if (z > 0) return Math.log1p(-ndtr(-z));
  return Math.log(ndtr(z));
}

/** log φ(z), the standard normal log-density. */
export function normLogPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

const LOGISTIC_SCALE = Math.sqrt(3) / Math.PI;

/**
 * The z with log Φ(z) = y (y ≤ 0): Newton's method on log Φ, which is concave and increasing, so the
 * iterates approach the root from one side. Near y = 0 the upper tail is solved instead (log Φ(−z) =
 * log(1 − eʸ)) because eʸ there carries no precision. The start is the tail asymptote for very negative
 * targets and the logistic approximation of Φ otherwise.
 */
export function ndtriExp(y: number): number {
  if (Number.isNaN(y) || y > 0) return NaN;
  if (y === 0) return Infinity;
  if (y === -Infinity) return -Infinity;
  const flipped = y > -1e-2;
  const target = flipped ? Math.log(-Math.expm1(y)) : y;
  let x = target < -5 ? -Math.sqrt(-2 * (target + LOG_SQRT_2PI)) : -LOGISTIC_SCALE * Math.log(Math.expm1(-target));
  for (let i = 0; i < 100; i++) {
    const logPhi = logNdtr(x);
    const dx = (logPhi - target) * Math.exp(logPhi - normLogPdf(x));
    x -= dx;
    if (!(Math.abs(dx) > 1e-12 * Math.max(1, Math.abs(x)))) break;
  }
  return flipped ? -x : x;
}
