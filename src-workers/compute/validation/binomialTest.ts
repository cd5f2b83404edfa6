import { gammaln } from 'simple-statistics';

/**
 * Upper tail of the binomial distribution, P(X ≥ k) for X ~ Binomial(n, p): the one-sided exact p-value of
 * "k or more correct picks of n if the true accuracy were p".
 *
 * Written here rather than taken from simple-statistics' binomialDistribution, which builds the mass
 * function from 0 upward and stops once the cumulative sum is within 1e-4 of 1: the upper tail this test
 * needs is exactly what it drops. Each term is exp of the log mass function (gammaln from simple-statistics),
 * scaled by the largest term and summed from x = n down, so the small terms are added first and thousands
 * of games lose no precision.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logN = gammaln(n + 1);
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const logPmf = (x: number): number => logN - gammaln(x + 1) - gammaln(n - x + 1) + x * logP + (n - x) * logQ;
  // The largest term with x ≥ k is at max(k, ⌊(n+1)p⌋); scaling by it keeps every exp in range.
  const top = logPmf(Math.max(k, Math.min(n, Math.floor((n + 1) * p))));
  let sum = 0;
  for (let x = n; x >= k; x--) sum += Math.exp(logPmf(x) - top);
  return Math.min(1, Math.exp(top) * sum);
}
