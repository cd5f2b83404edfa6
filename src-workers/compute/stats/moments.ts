/** Sample moments of a series, as the Sharpe-ratio statistics need them. */
export interface Moments {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  /** Skewness γ3 (population moments). */
  skewness: number;
  /** Kurtosis γ4, not excess: 3 for a normal distribution. */
  kurtosis: number;
}

/** Mean, sd, skewness and (non-excess) kurtosis in two passes over a typed array. */
export function moments(x: ArrayLike<number>): Moments {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = n ? sum / n : Number.NaN;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const pop2 = m2 / n;
  return {
    n,
    mean,
    sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN,
    skewness: pop2 > 0 ? m3 / n / pop2 ** 1.5 : 0,
    kurtosis: pop2 > 0 ? m4 / n / (pop2 * pop2) : 3,
  };
}

/** Per-period Sharpe ratio mean/sd (not annualized); NaN with fewer than two periods, 0 for a flat series. */
export function sharpeRatio(returns: ArrayLike<number>): number {
  const m = moments(returns);
  if (m.n < 2) return Number.NaN;
  return m.sd > 0 ? m.mean / m.sd : 0;
}

/** Per-period Sortino ratio: mean over the downside deviation (root mean square of the negative returns). */
export function sortinoRatio(returns: ArrayLike<number>): number {
  const n = returns.length;
  if (n < 2) return Number.NaN;
  let sum = 0;
  let down = 0;
  for (let i = 0; i < n; i++) {
    sum += returns[i];
    if (returns[i] < 0) down += returns[i] * returns[i];
  }
  const dd = Math.sqrt(down / n);
  const mean = sum / n;
  if (dd > 0) return mean / dd;
  return mean > 0 ? Infinity : 0;
}
