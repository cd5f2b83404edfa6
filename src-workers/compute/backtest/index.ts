/** Backtesting: odds arithmetic, strategies, settlement, equity and drawdown, metrics and breakdowns. */
export * from './odds';
export {
  strategySchema,
  STRATEGY_DEFAULTS,
  kellyFraction,
  decide,
  probabilityColumn,
  HOME,
  AWAY,
  NO_BET,
  type Strategy,
  type StrategyInput,
  type StrategyKind,
} from './strategies';
export { drawdownSeries, longestLosingStreak } from './performance';
export { ODDS_BUCKET_EDGES, oddsBucket, oddsBucketIndex, oddsBucketOrder, type BreakdownRow, type Breakdowns } from './breakdowns';
export {
  runBacktest,
  closingValue,
  backtestOptionsSchema,
  MLB_GAME_DAYS_PER_YEAR,
  type BacktestGames,
  type BacktestOptions,
  type BacktestResult,
  type BacktestMetrics,
  type BetLedger,
  type DailySeries,
} from './runBacktest';
export { compareStrategies, type StrategyComparison } from './compareStrategies';
