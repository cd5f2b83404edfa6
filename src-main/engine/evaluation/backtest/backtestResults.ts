import type { BacktestMetrics, StrategyInput } from '../../../../src-workers/compute/backtest';
import { dayToIso } from '../../../../src-workers/compute/cv';
import type { PredictBacktestResult, StrategyOutcome } from '../../../../src-workers/tasks/predictBacktest';
import { BullpenError, inputError } from '../../../shared/errors';
import type { JobResultValue, StrategySummaryMetricKey } from '../../../shared/results';
import { isModelStrategy, ruleStrategies, type BacktestStrategy, type OddsSide } from '../../../shared/vocabulary';
import type { FeatureMatrix } from '../../modeling/featureMatrix';
import { matrixHash } from '../../modeling/matrixRows';
import type { MetricPoint, RunResults, RunStart } from '../../tracking/runTypes';
import { evaluate, evaluationMetrics } from '../../training/evaluate';

export type StrategyName = BacktestStrategy;

/** What a backtest bets and how: the job's input, less where the predictions come from. */
export interface BacktestOptions {
  seasons: string;
  strategy: StrategyName[];
  /** Also run the rule-based baselines on the same games. */
  baselines: boolean;
  edge: number;
  kellyFraction: number;
  maxStake: number;
  odds: OddsSide;
  bootstrapResamples: number;
  seed: number;
}

/** A strategy's summary: the worker's BacktestMetrics narrowed to the keys a backtest reports (shared/results names them). */
export type StrategySummary = Pick<BacktestMetrics, StrategySummaryMetricKey> & { label: string; kind: StrategyName; ml: boolean };

/** The `ml.backtest` job's result (shared/results). */
export type BacktestOutcome = JobResultValue<'ml.backtest'>;

/** A strategy to bet: its label in results, its kind, and what the worker needs to bet it. */
export interface PlannedStrategy {
  label: string;
  kind: StrategyName;
  spec: StrategyInput;
}

/** Column of the Elo home-win probability in the default features (the 'elo' baseline reads it). */
export const ELO_FEATURE = 'elo_home_win_prob';

/**
 * The strategies a backtest bets: the requested ones, then the rule-based baselines (elo only where the
 * Elo probability exists). Refuses a model strategy without predictions and elo without its feature.
 */
export function plannedStrategies(
  input: Pick<BacktestOptions, 'strategy' | 'baselines' | 'edge' | 'kellyFraction' | 'maxStake'>,
  hasPredictions: boolean,
  hasElo: boolean,
): PlannedStrategy[] {
  const wanted = [...input.strategy];
  if (input.baselines) for (const r of ruleStrategies) if (!wanted.includes(r) && (r !== 'elo' || hasElo)) wanted.push(r);
  return wanted.map((kind) => {
    if (isModelStrategy(kind) && !hasPredictions)
      throw new BullpenError(
        'usage',
        'BACKTEST_NEEDS_MODEL',
        `strategy ${kind} bets a model's probabilities: give --model NAME or --run CV_RUN_ID`,
        { strategy: kind },
      );
    if (kind === 'elo' && !hasElo)
      throw inputError('BACKTEST_NO_ELO', `strategy elo needs the ${ELO_FEATURE} feature and a moneyline (home_win) target`, {});
    switch (kind) {
      case 'edge':
        return { label: `edge>=${input.edge}`, kind, spec: { kind, edge: input.edge } };
      case 'elo':
        return { label: `elo edge>=${input.edge}`, kind, spec: { kind, edge: input.edge } };
      case 'kelly':
        return {
          label: `kelly ${input.kellyFraction} cap ${input.maxStake}`,
          kind,
          spec: { kind, fraction: input.kellyFraction, maxStake: input.maxStake },
        };
      default:
        return { label: kind, kind, spec: { kind } };
    }
  });
}

/** A statistic that could not be computed (too few bets, a single strategy) as null rather than NaN or ±Infinity. */
export const finiteOrNull = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

export function summarizeStrategy(o: StrategyOutcome, label: string, kind: StrategyName): StrategySummary {
  const mt = o.metrics;
  return {
    label,
    kind,
    ml: isModelStrategy(kind),
    bets: mt.bets,
    hitRate: mt.hitRate,
    profit: mt.profit,
    roi: mt.roi,
    roiCi: mt.roiCi,
    roiPValue: mt.roiPValue,
    sharpe: mt.sharpe,
    sortino: mt.sortino,
    maxDrawdown: mt.maxDrawdown,
    maxDrawdownUnits: mt.maxDrawdownUnits,
    longestLosingStreak: mt.longestLosingStreak,
    clv: mt.clv,
  };
}

/** A strategy's summary as run metrics (the CI as roiCiLow/roiCiHigh; statistics that do not exist are left out). */
export function strategyMetricPoints(sm: StrategySummary): MetricPoint[] {
  return [
    { key: 'bets', value: sm.bets },
    { key: 'hitRate', value: sm.hitRate },
    { key: 'profit', value: sm.profit },
    { key: 'roi', value: sm.roi },
    ...(sm.roiCi
      ? [
          { key: 'roiCiLow', value: sm.roiCi[0] },
          { key: 'roiCiHigh', value: sm.roiCi[1] },
        ]
      : []),
    ...(sm.roiPValue !== null ? [{ key: 'roiPValue', value: sm.roiPValue }] : []),
    { key: 'sharpe', value: sm.sharpe },
    { key: 'sortino', value: sm.sortino },
    { key: 'maxDrawdown', value: sm.maxDrawdown },
    { key: 'maxDrawdownUnits', value: sm.maxDrawdownUnits },
    { key: 'longestLosingStreak', value: sm.longestLosingStreak },
    ...(sm.clv !== null ? [{ key: 'clv', value: sm.clv }] : []),
  ];
}

/** Where a backtest's probabilities come from: a model, a CV run's out-of-fold predictions, or neither (rules only). */
export interface BacktestSource {
  modelName: string | null;
  /** The CV run bet, and how many backtest games its test folds covered. */
  cvRun: { id: string; name: string; games: number; seasonGames: number } | null;
}

/** The run a backtest records when it starts. */
export function backtestRunStart(
  m: FeatureMatrix,
  rows: Int32Array,
  input: BacktestOptions,
  source: BacktestSource,
  strategies: PlannedStrategy[],
  name: string,
  jobId: string,
): RunStart {
  return {
    name,
    kind: 'backtest',
    jobId,
    target: m.target,
    featureSet: m.setName,
    featureVersions: m.featureVersions,
    dataHash: matrixHash(m, rows),
    seed: input.seed,
    synthetic: m.synthetic,
    params: {
      model: source.modelName ?? '',
      cvRun: source.cvRun?.id ?? '',
      seasons: input.seasons,
      strategies: strategies.map((s) => s.label).join(', '),
      odds: input.odds,
      edge: input.edge,
      kellyFraction: input.kellyFraction,
      maxStake: input.maxStake,
      bootstrapResamples: input.bootstrapResamples,
    },
    tags: {
      ...(source.modelName ? { model: source.modelName } : {}),
      ...(source.cvRun ? { cvRun: source.cvRun.name, predictions: 'out-of-fold' } : {}),
      ...(m.synthetic ? { synthetic: 'true' } : {}),
    },
  };
}

/** The backtest games as the worker saw them: labels and closing prices, row for row. */
export interface BacktestGames {
  seasons: number[];
  label: Float64Array;
  closeHome: Float64Array;
  closeAway: Float64Array;
}

/**
 * What a finished backtest produced, from the worker's bets: the job's result (strategies, the best by
 * Sharpe with its deflated Sharpe and PBO, the predictions scored next to the market), the run's metrics
 * (of the first strategy), artifacts, and a child run per strategy. Pure.
 */
export function buildBacktestResults(
  m: Pick<FeatureMatrix, 'target' | 'setName' | 'synthetic'>,
  games: BacktestGames,
  input: Pick<BacktestOptions, 'odds' | 'seed'>,
  source: BacktestSource,
  strategies: PlannedStrategy[],
  out: PredictBacktestResult,
  name: string,
  durationMs: number,
  /** The scored games, row by row (stored as `predictions.csv`, what validation reads back as out-of-sample evidence). */
  scored: { gameIds: string[]; dates: string[]; seasons: ArrayLike<number> } | null = null,
): { value: Omit<BacktestOutcome, 'runId'>; results: RunResults } {
  const hasPredictions = source.modelName !== null || source.cvRun !== null;
  const evaluation = hasPredictions ? evaluate(games.label, out.pHome, games.closeHome, games.closeAway) : null;
  const summaries = out.outcomes.map((o, k) => summarizeStrategy(o, strategies[k].label, strategies[k].kind));
  const series = out.outcomes.map((o, k) => ({
    label: strategies[k].label,
    ml: summaries[k].ml,
    dates: Array.from(o.day, dayToIso),
    equity: Array.from(o.equity),
    drawdown: Array.from(o.drawdown),
    profit: Array.from(o.profit),
  }));
  const metrics: MetricPoint[] = [
    { key: 'games', value: games.label.length },
    ...strategyMetricPoints(summaries[0]),
    ...(out.deflatedSharpe ? [{ key: 'deflatedSharpe', value: out.deflatedSharpe.deflatedSharpe }] : []),
    ...(out.pbo ? [{ key: 'pbo', value: out.pbo.pbo }] : []),
    ...(evaluation ? evaluationMetrics(evaluation, 'model.') : []),
  ];
  const value: Omit<BacktestOutcome, 'runId'> = {
    name,
    modelName: source.modelName,
    cvRun: source.cvRun,
    seasons: games.seasons,
    games: games.label.length,
    odds: input.odds,
    strategies: summaries,
    best: out.deflatedSharpe ? summaries[out.best].label : null,
    deflatedSharpe: finiteOrNull(out.deflatedSharpe?.deflatedSharpe ?? null),
    pbo: finiteOrNull(out.pbo?.pbo ?? null),
    model: evaluation
      ? {
          logLoss: evaluation.metrics.logLoss,
          accuracy: evaluation.metrics.accuracy,
          marketLogLoss: evaluation.market?.market.logLoss ?? null,
          marketAccuracy: evaluation.market?.market.accuracy ?? null,
        }
      : null,
    durationMs,
  };
  return {
    value,
    results: {
      metrics,
      artifacts: [
        {
          name: 'backtest.json',
          value: {
            strategies: summaries.map((sm, k) => ({ ...sm, metrics: out.outcomes[k].metrics, breakdowns: out.outcomes[k].breakdowns })),
            best: value.best,
            cvRun: source.cvRun,
            deflatedSharpe: out.deflatedSharpe,
            pbo: out.pbo ? { pbo: out.pbo.pbo } : null,
          },
        },
        { name: 'equity.json', value: { series } },
        ...(evaluation
          ? [
              { name: 'calibration.json' as const, value: { evaluatedOn: 'backtest games' as const, bins: evaluation.reliability } },
              { name: 'market.json' as const, value: evaluation.market },
            ]
          : []),
        ...(hasPredictions && scored
          ? [
              {
                name: 'predictions.csv' as const,
                value: scored.gameIds.map((gameId, i) => ({
                  gameId,
                  date: scored.dates[i],
                  season: scored.seasons[i],
                  label: games.label[i],
                  p: out.pHome[i],
                })),
              },
            ]
          : []),
      ],
      children: summaries.map((sm, k) => ({
        name: `${name} ${sm.label}`,
        kind: 'backtest-strategy' as const,
        target: m.target,
        featureSet: m.setName,
        seed: input.seed,
        synthetic: m.synthetic,
        params: { strategy: sm.label, kind: sm.kind, ml: sm.ml, odds: input.odds },
        metrics: strategyMetricPoints(sm),
        artifacts: [{ name: 'equity.json' as const, value: { series: [series[k]] } }],
      })),
    },
  };
}
