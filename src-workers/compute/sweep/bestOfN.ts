import { inputError } from '../../../src-main/shared/errors';
import type { Direction } from '../../../src-main/shared/sweep/trials';
import { probabilityOfBacktestOverfitting } from '../stats/backtestOverfitting';
import { deflatedSharpeRatio } from '../stats/deflatedSharpe';
import { moments } from '../stats/moments';
import { studentTQuantile, studentTTwoSided } from '../stats/studentT';

/** null where a statistic is undefined (one fold, a zero baseline, no variation), as results store NaN. */
const defined = (v: number): number | null => (Number.isFinite(v) ? v : null);

export interface PairedImprovement {
  /** Mean over folds of default − best (minimize) or best − default (maximize): positive is better. */
  absolute: number | null;
  /** absolute / |mean default value|. */
  relative: number | null;
  /** 95% Student t interval of the mean paired difference (n − 1 degrees of freedom). */
  ci: [number | null, number | null];
  /** Two-sided paired t-test of "no difference". */
  pValue: number | null;
  folds: number;
}

/**
 * The best trial against LightGBM's defaults on the same CV folds, paired fold by fold (both ran on
 * exactly the same rows, so the fold-to-fold difficulty cancels out of the differences). The t quantile
 * and p-value come from compute/stats/studentT (simple-statistics has no t distribution).
 */
export function pairedImprovement(
  defaultFoldValues: readonly number[],
  bestFoldValues: readonly number[],
  direction: Direction,
): PairedImprovement {
  if (defaultFoldValues.length !== bestFoldValues.length)
    throw inputError(
      'SWEEP_FOLDS_UNPAIRED',
      `the default parameters have ${defaultFoldValues.length} fold values and the best trial ${bestFoldValues.length}: both must run on the same folds`,
      { defaultFolds: defaultFoldValues.length, bestFolds: bestFoldValues.length },
    );
  const n = defaultFoldValues.length;
  const diffs = defaultFoldValues.map((d, i) => (direction === 'minimize' ? d - bestFoldValues[i] : bestFoldValues[i] - d));
  if (n === 0) return { absolute: null, relative: null, ci: [null, null], pValue: null, folds: 0 };
  const mean = diffs.reduce((a, b) => a + b, 0) / n;
  const baseline = defaultFoldValues.reduce((a, b) => a + b, 0) / n;
  const relative = defined(mean / Math.abs(baseline));
  if (n < 2) return { absolute: defined(mean), relative, ci: [null, null], pValue: null, folds: n };
  const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const half = studentTQuantile(0.975, n - 1) * se;
  // Identical differences on every fold: the interval is the point; t is ±∞ (p = 0), or 0/0 when they are all zero.
  const pValue = se > 0 ? studentTTwoSided(mean / se, n - 1) : mean !== 0 ? 0 : Number.NaN;
  return { absolute: defined(mean), relative, ci: [defined(mean - half), defined(mean + half)], pValue: defined(pValue), folds: n };
}

export interface BestOfNOverfitting {
  /** Probability that the chosen trial's true daily Sharpe is above zero, deflated for having picked it among N. */
  deflatedSharpe: number | null;
  /** CSCV probability of backtest overfitting of picking the best of the N return series. */
  pbo: number | null;
  /** The chosen trial's daily Sharpe and the Sharpe the best of N would show by luck alone. */
  sharpe: number | null;
  expectedMaxSharpe: number | null;
  trials: number;
  days: number;
  /** CSCV partitions used (16, or fewer on a short season); 0 when PBO was not computed. */
  partitions: number;
}

const MAX_PARTITIONS = 16;

/**
 * The best-of-N statistics of a sweep, from every candidate trial's daily betting returns on the same
 * days (zero on days without a bet). The deflated Sharpe is the chosen trial's (the sweep picks by log
 * loss, not by Sharpe, so it need not have the highest Sharpe), deflated by the variance of the N
 * trials' Sharpes. PBO asks the CSCV question of the N series: how often the in-sample best Sharpe
 * ranks in the bottom half out of sample; it uses 16 partitions, fewer when there are under 32 days.
 */
export function bestOfNOverfitting(dailyReturnsByTrial: readonly (readonly number[])[], bestIndex: number): BestOfNOverfitting {
  const N = dailyReturnsByTrial.length;
  if (bestIndex < 0 || bestIndex >= N || !Number.isInteger(bestIndex))
    throw inputError('SWEEP_BEST_INDEX', `the best trial's index ${bestIndex} is not one of the ${N} return series`, {
      bestIndex,
      trials: N,
    });
  const T = dailyReturnsByTrial[0].length;
  for (const r of dailyReturnsByTrial)
    if (r.length !== T)
      throw inputError('SWEEP_RETURNS_UNALIGNED', `every trial's daily returns must cover the same days: found ${r.length} and ${T}`, {
        expected: T,
        actual: r.length,
      });

  const stats = dailyReturnsByTrial.map((r) => moments(r));
  // A trial that never bet (or always returned the same) has Sharpe 0, as deflatedSharpeOfBest counts it.
  const sharpes = stats.map((m) => (m.sd > 0 ? m.mean / m.sd : 0));
  const meanSharpe = sharpes.reduce((a, b) => a + b, 0) / N;
  const sharpeVariance = N > 1 ? sharpes.reduce((a, s) => a + (s - meanSharpe) ** 2, 0) / (N - 1) : 0;
  const chosen = stats[bestIndex];
  const dsr =
    T >= 2
      ? deflatedSharpeRatio({
          sharpe: sharpes[bestIndex],
          observations: T,
          skewness: chosen.skewness,
          kurtosis: chosen.kurtosis,
          trials: N,
          sharpeVariance,
        })
      : null;

  let partitions = 0;
  let pbo: number | null = null;
  if (N >= 2) {
    partitions = Math.min(MAX_PARTITIONS, 2 * Math.floor(T / 4));
    if (partitions >= 2) pbo = defined(probabilityOfBacktestOverfitting(dailyReturnsByTrial, { partitions }).pbo);
    else partitions = 0;
  }
  return {
    deflatedSharpe: dsr ? defined(dsr.deflatedSharpe) : null,
    pbo,
    sharpe: T >= 2 ? sharpes[bestIndex] : null,
    expectedMaxSharpe: dsr ? defined(dsr.expectedMaxSharpe) : null,
    trials: N,
    days: T,
    partitions,
  };
}
