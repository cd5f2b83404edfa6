import { probabilityOfBacktestOverfitting, type PboResult } from '../stats/backtestOverfitting';
import { type DeflatedSharpeResult, deflatedSharpeOfBest } from '../stats/deflatedSharpe';
import { type BacktestGames, type BacktestOptions, type BacktestResult, runBacktest } from './runBacktest';
import { type StrategyInput } from './strategies';

/** CSCV partitions (16, as Bailey et al.); short backtests use fewer so each partition keeps at least two days. */
const PBO_PARTITIONS = 16;

export interface StrategyComparison {
  results: BacktestResult[];
  /** Index of the best strategy by daily Sharpe. */
  best: number;
  /** Selection honesty for the best of several strategies: null with one strategy. */
  deflatedSharpe: (DeflatedSharpeResult & { best: number }) | null;
  pbo: PboResult | null;
}

/**
 * Runs several strategies (ML and rule-based) on the same games so they compare directly, and reports
 * the deflated Sharpe ratio and the probability of backtest overfitting of picking the best of them.
 */
export function compareStrategies(
  games: BacktestGames,
  strategies: readonly StrategyInput[],
  options: BacktestOptions = {},
): StrategyComparison {
  const results = strategies.map((s) => runBacktest(games, s, options));
  const returns = results.map((r) => r.daily.returns);
  if (results.length < 2) return { results, best: 0, deflatedSharpe: null, pbo: null };
  const deflated = deflatedSharpeOfBest(returns);
  const days = returns[0].length;
  // CSCV needs at least two periods per partition: shrink the (even) partition count on short backtests.
  const partitions = Math.min(PBO_PARTITIONS, 2 * Math.floor(days / 4));
  const pbo = partitions >= 2 ? probabilityOfBacktestOverfitting(returns, { partitions }) : null;
  return { results, best: deflated.best, deflatedSharpe: deflated, pbo };
}
