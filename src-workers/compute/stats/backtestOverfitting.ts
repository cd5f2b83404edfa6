import { z } from 'zod';
import { inputError, validationError } from '../../../src-main/shared/errors';

/** 16 partitions give C(16, 8) = 12,870 splits, the setting of Bailey, Borwein, López de Prado and Zhu (2017). */
export const pboOptionsSchema = z.object({
  partitions: z.int().min(2).multipleOf(2).default(16),
  metric: z.enum(['sharpe', 'mean']).default('sharpe'),
});
export type PboOptions = z.input<typeof pboOptionsSchema>;

export interface PboResult {
  /** Probability of backtest overfitting: share of splits where the in-sample best is at or below the out-of-sample median. */
  pbo: number;
  /** Logit of the out-of-sample relative rank of the in-sample best, one per split. */
  logits: Float64Array;
  combinations: number;
  /** Share of splits where the in-sample best loses money (negative metric) out of sample. */
  probabilityOfLoss: number;
}

/**
 * Probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV).
 * `returnsByTrial[n][t]` is the return of trial (strategy, threshold, …) n in period t; all trials share periods.
 */
export function probabilityOfBacktestOverfitting(returnsByTrial: readonly ArrayLike<number>[], options: PboOptions = {}): PboResult {
  const parsed = pboOptionsSchema.safeParse(options);
  if (!parsed.success) throw validationError('probabilityOfBacktestOverfitting', parsed.error);
  const { partitions: S, metric } = parsed.data;
  const N = returnsByTrial.length;
  if (N < 2)
    throw inputError('STATS_PBO_TRIALS', `the probability of backtest overfitting needs at least 2 trials, got ${N}`, { trials: N });
  const T = returnsByTrial[0].length;
  for (const r of returnsByTrial) {
    if (r.length !== T)
      throw inputError('STATS_PBO_LENGTHS', `every trial needs the same periods: found ${r.length} and ${T}`, {
        expected: T,
        actual: r.length,
      });
  }
  if (T < 2 * S)
    throw inputError('STATS_PBO_PERIODS', `CSCV with ${S} partitions needs at least ${2 * S} periods, got ${T}: use fewer partitions`, {
      periods: T,
      partitions: S,
    });

  // Per block and trial: count, sum, sum of squares, so each split only adds block totals.
  const sum = new Float64Array(S * N);
  const sq = new Float64Array(S * N);
  const cnt = new Float64Array(S);
  for (let b = 0; b < S; b++) {
    const from = Math.floor((b * T) / S);
    const to = Math.floor(((b + 1) * T) / S);
    cnt[b] = to - from;
    for (let n = 0; n < N; n++) {
      const r = returnsByTrial[n];
      let s = 0;
      let q = 0;
      for (let t = from; t < to; t++) {
        s += r[t];
        q += r[t] * r[t];
      }
      sum[b * N + n] = s;
      sq[b * N + n] = q;
    }
  }

  const perf = (s: number, q: number, c: number): number => {
    const mean = s / c;
    if (metric === 'mean') return mean;
    const variance = (q - c * mean * mean) / (c - 1);
    return variance > 0 ? mean / Math.sqrt(variance) : 0;
  };

  const half = S / 2;
  const chosen = Int32Array.from({ length: half }, (_, i) => i);
  const inSample = new Uint8Array(S);
  const isPerf = new Float64Array(N);
  const oosPerf = new Float64Array(N);
  const logits: number[] = [];
  let overfit = 0;
  let losses = 0;
  for (;;) {
    inSample.fill(0);
    for (const b of chosen) inSample[b] = 1;
    for (let n = 0; n < N; n++) {
      let si = 0,
        qi = 0,
        ci = 0,
        so = 0,
        qo = 0,
        co = 0;
      for (let b = 0; b < S; b++) {
        if (inSample[b]) {
          si += sum[b * N + n];
          qi += sq[b * N + n];
          ci += cnt[b];
        } else {
          so += sum[b * N + n];
          qo += sq[b * N + n];
          co += cnt[b];
        }
      }
      isPerf[n] = perf(si, qi, ci);
      oosPerf[n] = perf(so, qo, co);
    }
    let best = 0;
    for (let n = 1; n < N; n++) if (isPerf[n] > isPerf[best]) best = n;
    // Mid-rank (1 = worst) of the in-sample winner among the out-of-sample results.
    let below = 0;
    let ties = 0;
    for (let n = 0; n < N; n++) {
      if (oosPerf[n] < oosPerf[best]) below++;
      else if (oosPerf[n] === oosPerf[best]) ties++;
    }
    const rank = below + (ties + 1) / 2;
    const omega = rank / (N + 1);
    const lambda = Math.log(omega / (1 - omega));
    logits.push(lambda);
    if (lambda <= 0) overfit++;
    if (oosPerf[best] < 0) losses++;
    if (!nextCombination(chosen, S)) break;
  }
  return {
    pbo: overfit / logits.length,
    logits: Float64Array.from(logits),
    combinations: logits.length,
    probabilityOfLoss: losses / logits.length,
  };
}

/** Advances `c` (sorted k-subset of 0..n-1) to the next subset in lexicographic order; false after the last. */
function nextCombination(c: Int32Array, n: number): boolean {
  const k = c.length;
  let i = k - 1;
  while (i >= 0 && c[i] === n - k + i) i--;
  if (i < 0) return false;
  c[i]++;
  for (let j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
  return true;
}
