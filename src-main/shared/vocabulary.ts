import { z } from 'zod';
export { jobStates, jobStateSchema, type JobState } from './events';

/**
 * Bullpen's domain words, declared once. The contract, the engine, the workers and the UI import them
 * from here (every layer may import src-main/shared), so a new target or strategy is one edit.
 * Labels are the words people read; the keys are what travels in JSON and on the command line.
 */

/** What a model predicts: the home side wins, the game goes over the closing total, home covers -1.5. */
export const targets = ['home_win', 'over', 'home_runline'] as const;
export const targetSchema = z.enum(targets);
export type Target = (typeof targets)[number];
export const targetLabels: Record<Target, string> = {
  home_win: 'Home win (moneyline)',
  over: 'Over (closing total)',
  home_runline: 'Home −1.5 (run line)',
};

/** How a time-series cross-validation cuts its folds. */
export const cvSchemes = ['walk-forward', 'season-forward', 'rolling', 'within-season', 'cpcv'] as const;
export const cvSchemeSchema = z.enum(cvSchemes);
export type CvScheme = (typeof cvSchemes)[number];
export const cvSchemeLabels: Record<CvScheme, string> = {
  'walk-forward': 'Walk-forward (expanding window)',
  'season-forward': 'Season-forward (one season per fold)',
  rolling: 'Rolling (fixed training window)',
  'within-season': 'Within season',
  cpcv: 'Combinatorially purged (López de Prado)',
};
/**
 * Combinatorially purged CV: the dates cut into `groups` groups, each split testing `testGroups` of them.
 * The defaults are López de Prado's example (N = 6, k = 2: 15 splits, 5 backtest paths).
 */
export const CPCV_DEFAULTS = { groups: 6, testGroups: 2 } as const;

/** Strategies that stake on a model's probability. */
export const modelStrategies = ['flat', 'edge', 'kelly'] as const;
/** Rule-based baselines that need no model ('elo' reads the Elo probability). */
export const ruleStrategies = ['home', 'favorite', 'underdog', 'elo'] as const;
export const backtestStrategies = [...modelStrategies, ...ruleStrategies] as const;
export const backtestStrategySchema = z.enum(backtestStrategies);
export type BacktestStrategy = (typeof backtestStrategies)[number];
export type ModelStrategy = (typeof modelStrategies)[number];
export type RuleStrategy = (typeof ruleStrategies)[number];
export const strategyLabels: Record<BacktestStrategy, string> = {
  flat: 'Flat (model side, 1 unit)',
  edge: 'Edge (1 unit when the edge is large enough)',
  kelly: 'Fractional Kelly',
  home: 'Always home',
  favorite: 'Always the favourite',
  underdog: 'Always the underdog',
  elo: 'Elo edge',
};
/** Whether a strategy needs a model's (or CV run's) predictions. */
export function isModelStrategy(s: BacktestStrategy): s is ModelStrategy {
  return (modelStrategies as readonly string[]).includes(s);
}

/** Which price a backtest bets at and settles against. */
export const oddsSides = ['close', 'open'] as const;
export const oddsSideSchema = z.enum(oddsSides);
export type OddsSide = (typeof oddsSides)[number];
export const oddsSideLabels: Record<OddsSide, string> = { close: 'Closing line', open: 'Opening line' };

/** Kinds of run the tracking store holds; children point at their parent (a CV's folds, a backtest's strategies). */
export const runKinds = ['train', 'cv', 'cv-fold', 'backtest', 'backtest-strategy', 'validation', 'sweep', 'sweep-trial'] as const;
export const runKindSchema = z.enum(runKinds);
export type RunKind = (typeof runKinds)[number];
export const runKindLabels: Record<RunKind, string> = {
  train: 'Training',
  cv: 'Cross-validation',
  'cv-fold': 'CV fold',
  backtest: 'Backtest',
  'backtest-strategy': 'Backtest strategy',
  validation: 'Validation',
  sweep: 'Hyperparameter sweep',
  'sweep-trial': 'Sweep trial',
};

/** `interrupted` is never stored: it is what a `running` run reads as once its job is no longer alive. */
export const runStatuses = ['running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const runStatusSchema = z.enum(runStatuses);
export type RunStatus = (typeof runStatuses)[number];

/** Metrics every model reports on a set of predictions (names from docs/CONVENTIONS.md). */
export const modelMetricKeys = ['games', 'logLoss', 'brier', 'auc', 'accuracy', 'ece'] as const;
export type ModelMetricKey = (typeof modelMetricKeys)[number];

/** The market comparison a training run records beside its model metrics (on games with both closing prices). */
export const marketMetricKeys = [
  'marketGames',
  'marketLogLoss',
  'marketAccuracy',
  'marketBrier',
  'modelLogLossOnPriced',
  'modelAccuracyOnPriced',
  'logLossVsMarket',
  'accuracyVsMarket',
  'meanOverround',
] as const;
export type MarketMetricKey = (typeof marketMetricKeys)[number];

/** What a training run records about its fit. */
export const trainingMetricKeys = ['trainLogLoss', 'trainAccuracy', 'bestIteration', 'trainGames', 'validGames'] as const;
export type TrainingMetricKey = (typeof trainingMetricKeys)[number];

/** A CV run's summary over its folds; its curves are these keys prefixed `fold.` by fold. */
export const cvMetricKeys = ['foldLogLossMean', 'foldLogLossStd', 'folds'] as const;
export type CvMetricKey = (typeof cvMetricKeys)[number];
/** What a CV fold run records about its own fit. */
export const cvFoldMetricKeys = ['bestIteration', 'trainGames', 'purged', 'embargoed'] as const;
export type CvFoldMetricKey = (typeof cvFoldMetricKeys)[number];

/**
 * A backtest's metrics. The run stores `roiCi` as `roiCiLow`/`roiCiHigh` (metrics are numbers);
 * JSON results carry `roiCi` as [low, high].
 */
export const backtestMetricKeys = [
  'games',
  'bets',
  'hitRate',
  'profit',
  'roi',
  'roiCiLow',
  'roiCiHigh',
  'roiPValue',
  'sharpe',
  'sortino',
  'maxDrawdown',
  'maxDrawdownUnits',
  'longestLosingStreak',
  'clv',
  'deflatedSharpe',
  'pbo',
] as const;
export type BacktestMetricKey = (typeof backtestMetricKeys)[number];

/** Every summary metric key the engine records, for sorting, filtering and column pickers. */
export const metricKeys = [
  ...new Set([...modelMetricKeys, ...marketMetricKeys, ...trainingMetricKeys, ...cvMetricKeys, ...cvFoldMetricKeys, ...backtestMetricKeys]),
] as (ModelMetricKey | MarketMetricKey | TrainingMetricKey | CvMetricKey | CvFoldMetricKey | BacktestMetricKey)[];
export type MetricKey = (typeof metricKeys)[number];

/** The words people read for the metrics most screens show. */
export const metricLabels: Partial<Record<MetricKey, string>> = {
  games: 'Games',
  logLoss: 'Log loss',
  brier: 'Brier',
  auc: 'AUC',
  accuracy: 'Accuracy',
  ece: 'ECE',
  bets: 'Bets',
  hitRate: 'Hit rate',
  profit: 'Profit (units)',
  roi: 'ROI',
  roiCiLow: 'ROI CI low',
  roiCiHigh: 'ROI CI high',
  roiPValue: 'ROI p-value',
  sharpe: 'Sharpe',
  sortino: 'Sortino',
  maxDrawdown: 'Max drawdown',
  maxDrawdownUnits: 'Max drawdown (units)',
  longestLosingStreak: 'Longest losing streak',
  clv: 'CLV',
  deflatedSharpe: 'Deflated Sharpe',
  pbo: 'PBO',
  logLossVsMarket: 'Log loss vs market',
  marketLogLoss: 'Market log loss',
  bestIteration: 'Best iteration',
  foldLogLossMean: 'Mean fold log loss',
  foldLogLossStd: 'Fold log loss SD',
};

/** Options for a select: value and label, in declaration order. */
export function labelledOptions<K extends string>(keys: readonly K[], labels: Record<K, string>): { value: K; label: string }[] {
  return keys.map((value) => ({ value, label: labels[value] }));
}

/** Registry stages a model version moves through (the registry issue builds them; promotion is checked here first). */
export const modelStages = ['development', 'staging', 'production', 'archived'] as const;
export const modelStageSchema = z.enum(modelStages);
export type ModelStage = (typeof modelStages)[number];
