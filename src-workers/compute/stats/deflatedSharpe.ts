import { inputError } from '../../../src-main/shared/errors';
import { moments } from './moments';
import { normalCdf, normalQuantile } from './normal';

/** Euler–Mascheroni constant, in the expected maximum of N standard normals. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Probabilistic Sharpe ratio (Bailey & López de Prado 2012): the probability that the true per-period
 * Sharpe exceeds `benchmark`, given T observations with skewness γ3 and kurtosis γ4 (non-excess).
 */
export function probabilisticSharpeRatio(
  sharpe: number,
  benchmark: number,
  observations: number,
  skewness: number,
  kurtosis: number,
): number {
  const denom = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (observations < 2 || !(denom > 0)) return Number.NaN;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(observations - 1)) / Math.sqrt(denom));
}

/** Expected maximum per-period Sharpe of N independent trials with Sharpe variance V when all true Sharpes are zero. */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (trials < 1) throw inputError('STATS_BAD_TRIALS', `the number of trials must be ≥ 1, got ${trials}`, { trials });
  if (trials === 1) return 0;
  return (
    Math.sqrt(sharpeVariance) *
    ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)))
  );
}

export interface DeflatedSharpeInput {
  /** Per-period (e.g. daily, not annualized) Sharpe of the selected strategy. */
  sharpe: number;
  observations: number;
  skewness: number;
  /** Non-excess kurtosis (3 for normal returns). */
  kurtosis: number;
  /** How many strategies, thresholds or trials the selected one was the best of. */
  trials: number;
  /** Variance of the per-period Sharpe ratios across those trials. */
  sharpeVariance: number;
}

export interface DeflatedSharpeResult {
  /** Probability that the selected strategy's true Sharpe is above zero after correcting for selection (0–1). */
  deflatedSharpe: number;
  /** The Sharpe that the best of `trials` would show by luck alone (per period). */
  expectedMaxSharpe: number;
  /** The probabilistic Sharpe against zero, before the selection correction. */
  probabilisticSharpe: number;
}

/** Deflated Sharpe ratio (Bailey & López de Prado 2014): the PSR against the expected maximum Sharpe of the trials. */
export function deflatedSharpeRatio(input: DeflatedSharpeInput): DeflatedSharpeResult {
  const sr0 = expectedMaxSharpe(input.trials, input.sharpeVariance);
  return {
    deflatedSharpe: probabilisticSharpeRatio(input.sharpe, sr0, input.observations, input.skewness, input.kurtosis),
    expectedMaxSharpe: sr0,
    probabilisticSharpe: probabilisticSharpeRatio(input.sharpe, 0, input.observations, input.skewness, input.kurtosis),
  };
}

/** Deflated Sharpe of the best of several return series on the same periods (e.g. strategies on the same days). */
export function deflatedSharpeOfBest(returnsByTrial: readonly ArrayLike<number>[]): DeflatedSharpeResult & { best: number } {
  if (returnsByTrial.length === 0) throw inputError('STATS_BAD_TRIALS', 'deflated Sharpe needs at least one return series');
  const stats = returnsByTrial.map((r) => moments(r));
  const sharpes = stats.map((m) => (m.sd > 0 ? m.mean / m.sd : 0));
  let best = 0;
  for (let i = 1; i < sharpes.length; i++) if (sharpes[i] > sharpes[best]) best = i;
  const meanSr = sharpes.reduce((a, b) => a + b, 0) / sharpes.length;
  const variance = sharpes.length > 1 ? sharpes.reduce((a, s) => a + (s - meanSr) ** 2, 0) / (sharpes.length - 1) : 0;
  const m = stats[best];
  return {
    best,
    ...deflatedSharpeRatio({
      sharpe: sharpes[best],
      observations: m.n,
      skewness: m.skewness,
      kurtosis: m.kurtosis,
      trials: sharpes.length,
      sharpeVariance: variance,
    }),
  };
}
