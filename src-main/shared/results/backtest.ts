import { z } from 'zod';
import { backtestStrategySchema } from '../vocabulary';
import { count, isoDate, measured } from './numbers';

/** A backtest strategy's metrics as the worker measures them (src-workers/compute/backtest/runBacktest.ts). */
export const backtestMetricsSchema = z.object({
  bets: count,
  wins: count,
  /** Bets on games without a result: stake returned, not counted in bets. */
  voids: count,
  /** Games the strategy could not price (a missing price at the chosen odds). */
  unpriced: count,
  hitRate: measured,
  staked: z.number(),
  profit: z.number(),
  roi: measured,
  /** Bootstrap 95% interval of the ROI, [low, high]; null with fewer than two bets. */
  roiCi: z.tuple([z.number(), z.number()]).nullable(),
  roiPValue: measured,
  /** Annualized Sharpe of daily returns. */
  sharpe: measured,
  sortino: measured,
  /** Per-day Sharpe, the input of the deflated Sharpe ratio. */
  sharpeDaily: measured,
  /** Largest fall from a peak as a fraction of that peak. */
  maxDrawdown: measured,
  /** The same fall in units of stake. */
  maxDrawdownUnits: measured,
  longestLosingStreak: count,
  /** Mean closing-line value of the bets (betting at the open only). */
  clv: measured,
  finalBankroll: z.number(),
  days: count,
});
export type BacktestMetricsData = z.output<typeof backtestMetricsSchema>;

/** The metrics a backtest reports per strategy: its run's metrics and a row of the comparison table. */
export const strategySummaryMetricKeys = [
  'bets',
  'hitRate',
  'profit',
  'roi',
  'roiCi',
  'roiPValue',
  'sharpe',
  'sortino',
  'maxDrawdown',
  'maxDrawdownUnits',
  'longestLosingStreak',
  'clv',
] as const satisfies readonly (keyof BacktestMetricsData)[];
export type StrategySummaryMetricKey = (typeof strategySummaryMetricKeys)[number];

/** One strategy of a backtest: its label (`edge>=0.02`), kind, whether it bets a model, and its summary metrics. */
export const strategySummarySchema = backtestMetricsSchema
  .pick(Object.fromEntries(strategySummaryMetricKeys.map((k) => [k, true])) as { [K in StrategySummaryMetricKey]: true })
  .extend({ label: z.string(), kind: backtestStrategySchema, ml: z.boolean() });
export type StrategySummaryData = z.output<typeof strategySummarySchema>;

/** One group of bets in a breakdown (a season, a month, a side, a role, an odds bucket). */
export const breakdownRowSchema = z.object({
  key: z.string(),
  bets: count,
  wins: count,
  hitRate: measured,
  staked: z.number(),
  profit: z.number(),
  roi: measured,
});
export const breakdownsSchema = z.object({
  season: z.array(breakdownRowSchema),
  month: z.array(breakdownRowSchema),
  side: z.array(breakdownRowSchema),
  /** 'favorite', 'underdog' or 'pickem' for the side bet. */
  role: z.array(breakdownRowSchema),
  oddsBucket: z.array(breakdownRowSchema),
});
export type BreakdownsData = z.output<typeof breakdownsSchema>;
export type BreakdownKey = keyof BreakdownsData;

/** Selection honesty for the best of several strategies (Bailey & López de Prado). */
export const deflatedSharpeSchema = z.object({
  deflatedSharpe: measured,
  expectedMaxSharpe: measured,
  probabilisticSharpe: measured,
  /** Index of the selected strategy. */
  best: count,
});

/** The CV run whose out-of-fold predictions a backtest bet, and how many games its test folds covered. */
export const backtestCvRunSchema = z.object({ id: z.string(), name: z.string(), games: count, seasonGames: count });

/** `backtest.json`: every strategy with its full metrics and breakdowns, and the selection statistics. */
export const backtestArtifactSchema = z.object({
  strategies: z.array(strategySummarySchema.extend({ metrics: backtestMetricsSchema, breakdowns: breakdownsSchema })),
  best: z.string().nullable(),
  cvRun: backtestCvRunSchema.nullable(),
  deflatedSharpe: deflatedSharpeSchema.nullable(),
  pbo: z.object({ pbo: measured }).nullable(),
});
export type BacktestArtifact = z.output<typeof backtestArtifactSchema>;

/** One strategy's bankroll day by day (`equity.json`). */
export const equitySeriesSchema = z.object({
  label: z.string(),
  ml: z.boolean(),
  dates: z.array(isoDate),
  equity: z.array(z.number()),
  /** Fall from the running peak as a fraction of that peak. */
  drawdown: z.array(z.number()),
  profit: z.array(z.number()),
});
export type EquitySeries = z.output<typeof equitySeriesSchema>;
export const equityArtifactSchema = z.object({ series: z.array(equitySeriesSchema) });
export type EquityArtifact = z.output<typeof equityArtifactSchema>;

/** One scored game of a backtest (a row of `predictions.csv`): what validation reads back as out-of-sample evidence. */
export const backtestPredictionRowSchema = z.object({
  gameId: z.string().min(1),
  date: isoDate,
  season: z.number().int(),
  label: z.number(),
  p: z.number().min(0).max(1),
});
export type BacktestPredictionRow = z.output<typeof backtestPredictionRowSchema>;
export const BACKTEST_PREDICTION_COLUMNS = ['game_id', 'date', 'season', 'label', 'p'] as const;
