import { toDayNumbers } from '../../../../src-workers/compute/cv';
import type { StrategyInput } from '../../../../src-workers/compute/backtest';
import type { PredictBacktestPayload, PredictBacktestResult, StrategyOutcome } from '../../../../src-workers/tasks/predictBacktest';
import { dayToIso } from '../../../../src-workers/compute/cv';
import { BullpenError, inputError } from '../../../shared/errors';
import { DEFAULT_SET } from '../../features/builtinFeatures';
import { loadFeatureMatrix, parseSeasons, type FeatureMatrix } from '../../modeling/featureMatrix';
import type { JobContext } from '../../jobs/jobContext';
import { getModel, modelText, type StoredModel } from '../../tracking/modelStore';
import { RunStore } from '../../tracking/runStore';
import { trackRun } from '../../tracking/trackRun';
import type { MetricPoint } from '../../tracking/runTypes';
import { evaluate, evaluationMetrics } from '../../training/evaluate';
import { marketPrices, matrixHash, takeRows, takeValues } from '../../modeling/matrixRows';
import { servingMatrix } from '../../modeling/servingMatrix';
import type { EngineDeps } from '../../training/trainModel';
import { assertSeasonsHaveGames } from '../../modeling/jobPrechecks';
import { assertNoClosingLineAtOpen } from './closingLineGuard';
import { loadCvPredictions, type CvPredictions } from './cvPredictions';

export const mlStrategies = ['flat', 'edge', 'kelly'] as const;
export const ruleStrategies = ['home', 'favorite', 'underdog', 'elo'] as const;
export type StrategyName = (typeof mlStrategies)[number] | (typeof ruleStrategies)[number];

export interface BacktestInput {
  model?: string;
  /** A CV run whose out-of-fold predictions are bet instead of a model's. */
  run?: string;
  seasons: string;
  strategy: StrategyName[];
  /** Also run the rule-based baselines on the same games. */
  baselines: boolean;
  edge: number;
  kellyFraction: number;
  maxStake: number;
  odds: 'close' | 'open';
  bootstrapResamples: number;
  seed: number;
  name?: string;
}

export interface StrategySummary {
  label: string;
  kind: StrategyName;
  ml: boolean;
  bets: number;
  hitRate: number;
  profit: number;
  roi: number;
  roiCi: [number, number] | null;
  roiPValue: number | null;
  sharpe: number;
  sortino: number;
  maxDrawdown: number;
  /** Units of stake (bankroll 100 units, flat stake 1 unit). */
  maxDrawdownUnits: number;
  longestLosingStreak: number;
  clv: number | null;
}

export interface BacktestOutcome {
  runId: string;
  name: string;
  modelName: string | null;
  /** The CV run whose out-of-fold predictions were bet, and how many backtest games its test folds covered. */
  cvRun: { id: string; name: string; games: number; seasonGames: number } | null;
  seasons: number[];
  games: number;
  odds: 'close' | 'open';
  strategies: StrategySummary[];
  best: string | null;
  deflatedSharpe: number | null;
  pbo: number | null;
  model: { logLoss: number; accuracy: number; marketLogLoss: number | null; marketAccuracy: number | null } | null;
  durationMs: number;
}

/** Column of the Elo home-win probability in the default features (the 'elo' baseline reads it). */
const ELO_FEATURE = 'elo_home_win_prob';

/** Refuses a model that saw any game of the backtest window: backtests use out-of-sample predictions only. */
export function assertOutOfSample(model: StoredModel, seasons: number[], firstGameDate: string): void {
  const overlap = seasons.filter((s) => model.seasons.includes(s));
  if (overlap.length || model.lastTrainingDate >= firstGameDate) {
    throw new BullpenError(
      'input',
      'BACKTEST_IN_SAMPLE',
      `model ${model.name} was trained on games up to ${model.lastTrainingDate} (seasons ${model.seasons[0]}-${model.seasons[model.seasons.length - 1]}), ` +
        `which is not strictly before the backtest window starting ${firstGameDate}${overlap.length ? ` (shared seasons ${overlap.join(', ')})` : ''}: ` +
        'backtest later seasons, or train a model on earlier ones',
      { model: model.name, lastTrainingDate: model.lastTrainingDate, firstGameDate, overlap },
    );
  }
}

/**
 * The refusals that need no matrix, checked before a job starts so the caller gets the error itself:
 * an unknown model, or one trained on (or after) any of the backtest seasons.
 */
export async function precheckBacktest(deps: EngineDeps, input: Pick<BacktestInput, 'model' | 'run' | 'seasons' | 'odds'>): Promise<void> {
  const seasons = await assertSeasonsHaveGames(deps.workspace, input.seasons, '--seasons', true);
  if (input.model && input.run) throw new BullpenError('usage', 'BACKTEST_MODEL_OR_RUN', 'give --model NAME or --run CV_RUN_ID, not both');
  if (input.run) {
    const cv = await loadCvPredictions(deps.workspace, input.run, seasons);
    const run = await new RunStore(deps.workspace).get(cv.runId);
    await assertNoClosingLineAtOpen(deps.workspace, input.odds, `CV run ${cv.name}`, run.featureVersions ?? []);
    return;
  }
  if (!input.model || seasons.length === 0) return;
  const model = await getModel(deps.workspace, input.model);
  assertOutOfSample(model, seasons, `${Math.min(...seasons)}-01-01`);
  await assertNoClosingLineAtOpen(deps.workspace, input.odds, `model ${model.name}`, model.featureVersions);
}

function strategyInputs(input: BacktestInput, hasModel: boolean, hasElo: boolean): { label: string; kind: StrategyName; spec: StrategyInput }[] {
  const wanted = [...input.strategy];
  if (input.baselines) for (const r of ruleStrategies) if (!wanted.includes(r) && (r !== 'elo' || hasElo)) wanted.push(r);
  return wanted.map((kind) => {
    if ((mlStrategies as readonly string[]).includes(kind) && !hasModel) throw new BullpenError('usage', 'BACKTEST_NEEDS_MODEL', `strategy ${kind} bets a model's probabilities: give --model NAME or --run CV_RUN_ID`, { strategy: kind });
    if (kind === 'elo' && !hasElo) throw inputError('BACKTEST_NO_ELO', `strategy elo needs the ${ELO_FEATURE} feature and a moneyline (home_win) target`, {});
    switch (kind) {
      case 'edge':
        return { label: `edge>=${input.edge}`, kind, spec: { kind, edge: input.edge } };
      case 'elo':
        return { label: `elo edge>=${input.edge}`, kind, spec: { kind, edge: input.edge } };
      case 'kelly':
        return { label: `kelly ${input.kellyFraction} cap ${input.maxStake}`, kind, spec: { kind, fraction: input.kellyFraction, maxStake: input.maxStake } };
      default:
        return { label: kind, kind, spec: { kind } };
    }
  });
}

/** The Elo probability per row of `m`, from its own columns or the default feature set. */
async function eloColumn(deps: EngineDeps, m: FeatureMatrix, seasons: number[]): Promise<Float64Array<ArrayBuffer> | null> {
  if (m.target !== 'home_win') return null;
  const j = m.featureNames.indexOf(ELO_FEATURE);
  if (j >= 0) return Float64Array.from({ length: m.rows }, (_v, i) => m.features[i * m.cols + j]);
  const d = await loadFeatureMatrix(deps.workspace, { set: DEFAULT_SET, target: m.target, seasons });
  const k = d.featureNames.indexOf(ELO_FEATURE);
  if (k < 0) return null;
  const byGame = new Map<string, number>();
  for (let i = 0; i < d.rows; i++) byGame.set(d.gameIds[i], d.features[i * d.cols + k]);
  return Float64Array.from(m.gameIds, (g) => byGame.get(g) ?? Number.NaN);
}

const round = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

function summarize(o: StrategyOutcome, label: string, kind: StrategyName): StrategySummary {
  const mt = o.metrics;
  return {
    label, kind, ml: (mlStrategies as readonly string[]).includes(kind),
    bets: mt.bets, hitRate: mt.hitRate, profit: mt.profit, roi: mt.roi, roiCi: mt.roiCi, roiPValue: mt.roiPValue,
    sharpe: mt.sharpe, sortino: mt.sortino, maxDrawdown: mt.maxDrawdown, maxDrawdownUnits: mt.maxDrawdownUnits, longestLosingStreak: mt.longestLosingStreak, clv: mt.clv,
  };
}

/**
 * `bullpen ml backtest`: scores the backtest seasons with a model trained strictly before them (anything
 * else is refused), or takes a CV run's out-of-fold predictions (only the games its test folds held), then bets the ML strategies and the rule-based baselines on the same games in a
 * worker, with bootstrap CIs, deflated Sharpe and PBO; one run with a child per strategy.
 */
export async function backtestModel(deps: EngineDeps, input: BacktestInput, ctx: JobContext): Promise<BacktestOutcome> {
  const started = Date.now();
  const seasons = parseSeasons(input.seasons) ?? [];
  if (seasons.length === 0) throw new BullpenError('usage', 'BACKTEST_NEEDS_SEASONS', 'give --seasons, e.g. 2016');
  if (input.model && input.run) throw new BullpenError('usage', 'BACKTEST_MODEL_OR_RUN', 'give --model NAME or --run CV_RUN_ID, not both');
  const model = input.model ? await getModel(deps.workspace, input.model) : null;
  const cv: CvPredictions | null = input.run ? await loadCvPredictions(deps.workspace, input.run, seasons) : null;
  ctx.progress(0.02, 'building the backtest games');
  const m = model
    ? await servingMatrix(deps.workspace, model, seasons, false)
    : await loadFeatureMatrix(deps.workspace, { set: cv?.featureSet ?? DEFAULT_SET, target: cv?.target ?? 'home_win', seasons });
  if (m.rows === 0) throw inputError('NO_GAMES', `no graded games in seasons ${input.seasons}`, { seasons: input.seasons });
  if (model) assertOutOfSample(model, seasons, m.dates[0]);
  // A CV run predicts only the games its test folds held: the backtest bets exactly those.
  const rows = cv ? Int32Array.from({ length: m.rows }, (_v, i) => i).filter((i) => cv.p.has(m.gameIds[i])) : Int32Array.from({ length: m.rows }, (_v, i) => i);
  if (rows.length === 0) throw inputError('BACKTEST_NO_OOF_GAMES', `none of the games of ${input.seasons} has an out-of-fold prediction in CV run ${cv?.name ?? ''}`, { seasons: input.seasons });
  const allPrices = marketPrices(m);
  const prices = {
    close: [takeValues(allPrices.close[0], rows), takeValues(allPrices.close[1], rows)] as const,
    open: [takeValues(allPrices.open[0], rows), takeValues(allPrices.open[1], rows)] as const,
  };
  const priced = prices.close[0].filter((v, i) => v > 1 && prices.close[1][i] > 1).length;
  if (priced === 0) throw inputError('BACKTEST_NO_ODDS', `no ${m.target} closing prices for seasons ${input.seasons}: import odds first (bullpen data import odds)`, { seasons: input.seasons });
  const eloAll = await eloColumn(deps, m, seasons);
  const elo = eloAll ? takeValues(eloAll, rows) : null;
  const label = takeValues(m.label, rows);
  const strategies = strategyInputs(input, model !== null || cv !== null, elo !== null);
  const source = model?.name ?? (cv ? `cv-${cv.name}` : 'rules');
  const name = input.name ?? `backtest-${source}-${input.seasons}-${Date.now().toString(36)}`;
  const store = new RunStore(deps.workspace);
  const cvRun = cv ? { id: cv.runId, name: cv.name, games: rows.length, seasonGames: m.rows } : null;

  return trackRun(
    store,
    {
      name, kind: 'backtest', jobId: ctx.id, target: m.target, featureSet: m.setName, featureVersions: m.featureVersions, dataHash: matrixHash(m, rows),
      seed: input.seed, synthetic: m.synthetic,
      params: {
        model: model?.name ?? '', cvRun: cv?.runId ?? '', seasons: input.seasons, strategies: strategies.map((s) => s.label).join(', '), odds: input.odds, edge: input.edge,
        kellyFraction: input.kellyFraction, maxStake: input.maxStake, bootstrapResamples: input.bootstrapResamples,
      },
      tags: { ...(model ? { model: model.name } : {}), ...(cv ? { cvRun: cv.name, predictions: 'out-of-fold' } : {}), ...(m.synthetic ? { synthetic: 'true' } : {}) },
    },
    ctx.signal,
    async () => {
      const x = model ? takeRows(m, rows).x : null;
      const oof = cv ? Float64Array.from(rows, (i) => cv.p.get(m.gameIds[i]) ?? Number.NaN) : null;
      const payload: PredictBacktestPayload = {
        model: model && x ? { modelText: await modelText(deps.workspace, model), x, rows: rows.length, cols: m.cols, numThreads: deps.pool.threadsPerTask } : null,
        ...(oof ? { pHome: oof } : {}),
        games: {
          days: Int32Array.from(toDayNumbers(Array.from(rows, (i) => m.dates[i]))), seasons: Int32Array.from(rows, (i) => m.seasons[i]), homeWin: label.slice(), pEloHome: elo,
          openHome: prices.open[0].slice(), openAway: prices.open[1].slice(), closeHome: prices.close[0].slice(), closeAway: prices.close[1].slice(),
        },
        strategies: strategies.map((s) => s.spec),
        price: input.odds,
        bootstrapResamples: input.bootstrapResamples,
        seed: input.seed,
      };
      const g = payload.games;
      const out = await deps.pool.run<PredictBacktestResult>('predictBacktest', payload, {
        transferList: [x?.buffer, oof?.buffer, g.days.buffer, g.seasons.buffer, g.homeWin.buffer, g.openHome.buffer, g.openAway.buffer, g.closeHome.buffer, g.closeAway.buffer, ...(elo ? [elo.buffer] : [])]
          .filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
        signal: ctx.signal,
        onProgress: (f, message) => ctx.progress(0.1 + 0.85 * f, message),
      });
      ctx.throwIfCancelled();
      const evaluation = model || cv ? evaluate(label, out.pHome, prices.close[0], prices.close[1]) : null;
      const summaries = out.outcomes.map((o, k) => summarize(o, strategies[k].label, strategies[k].kind));
      const series = out.outcomes.map((o, k) => ({
        label: strategies[k].label,
        ml: summaries[k].ml,
        dates: Array.from(o.day, dayToIso),
        equity: Array.from(o.equity),
        drawdown: Array.from(o.drawdown),
        profit: Array.from(o.profit),
      }));
      const primary = summaries[0];
      const metrics: MetricPoint[] = [
        { key: 'games', value: rows.length },
        { key: 'bets', value: primary.bets },
        { key: 'hitRate', value: primary.hitRate },
        { key: 'profit', value: primary.profit },
        { key: 'roi', value: primary.roi },
        ...(primary.roiCi ? [{ key: 'roiCiLow', value: primary.roiCi[0] }, { key: 'roiCiHigh', value: primary.roiCi[1] }] : []),
        ...(primary.roiPValue !== null ? [{ key: 'roiPValue', value: primary.roiPValue }] : []),
        { key: 'sharpe', value: primary.sharpe },
        { key: 'sortino', value: primary.sortino },
        { key: 'maxDrawdown', value: primary.maxDrawdown },
        { key: 'maxDrawdownUnits', value: primary.maxDrawdownUnits },
        { key: 'longestLosingStreak', value: primary.longestLosingStreak },
        ...(primary.clv !== null ? [{ key: 'clv', value: primary.clv }] : []),
        ...(out.deflatedSharpe ? [{ key: 'deflatedSharpe', value: out.deflatedSharpe.deflatedSharpe }] : []),
        ...(out.pbo ? [{ key: 'pbo', value: out.pbo.pbo }] : []),
        ...(evaluation ? evaluationMetrics(evaluation, 'model.') : []),
      ];
      const value: Omit<BacktestOutcome, 'runId'> = {
        name,
        modelName: model?.name ?? null,
        cvRun,
        seasons,
        games: rows.length,
        odds: input.odds,
        strategies: summaries,
        best: out.deflatedSharpe ? summaries[out.best].label : null,
        deflatedSharpe: round(out.deflatedSharpe?.deflatedSharpe ?? null),
        pbo: round(out.pbo?.pbo ?? null),
        model: evaluation
          ? { logLoss: evaluation.metrics.logLoss, accuracy: evaluation.metrics.accuracy, marketLogLoss: evaluation.market?.market.logLoss ?? null, marketAccuracy: evaluation.market?.market.accuracy ?? null }
          : null,
        durationMs: Date.now() - started,
      };
      return {
        value,
        results: {
          metrics,
          artifacts: [
            {
              name: 'backtest.json',
              mediaType: 'application/json',
              content: JSON.stringify({
                strategies: summaries.map((sm, k) => ({ ...sm, metrics: out.outcomes[k].metrics, breakdowns: out.outcomes[k].breakdowns })),
                best: value.best, cvRun, deflatedSharpe: out.deflatedSharpe, pbo: out.pbo ? { pbo: out.pbo.pbo } : null,
              }),
            },
            { name: 'equity.json', mediaType: 'application/json', content: JSON.stringify({ series }) },
            ...(evaluation ? [
              { name: 'calibration.json', mediaType: 'application/json' as const, content: JSON.stringify({ evaluatedOn: 'backtest games', bins: evaluation.reliability }) },
              { name: 'market.json', mediaType: 'application/json' as const, content: JSON.stringify(evaluation.market) },
            ] : []),
          ],
          children: summaries.map((sm, k) => ({
            name: `${name} ${sm.label}`,
            kind: 'backtest-strategy' as const,
            target: m.target,
            featureSet: m.setName,
            seed: input.seed,
            synthetic: m.synthetic,
            params: { strategy: sm.label, kind: sm.kind, ml: sm.ml, odds: input.odds },
            metrics: [
              { key: 'bets', value: sm.bets }, { key: 'hitRate', value: sm.hitRate }, { key: 'profit', value: sm.profit }, { key: 'roi', value: sm.roi },
              ...(sm.roiCi ? [{ key: 'roiCiLow', value: sm.roiCi[0] }, { key: 'roiCiHigh', value: sm.roiCi[1] }] : []),
              ...(sm.roiPValue !== null ? [{ key: 'roiPValue', value: sm.roiPValue }] : []),
              { key: 'sharpe', value: sm.sharpe }, { key: 'sortino', value: sm.sortino }, { key: 'maxDrawdown', value: sm.maxDrawdown }, { key: 'maxDrawdownUnits', value: sm.maxDrawdownUnits },
              { key: 'longestLosingStreak', value: sm.longestLosingStreak }, ...(sm.clv !== null ? [{ key: 'clv', value: sm.clv }] : []),
            ],
            artifacts: [{ name: 'equity.json', mediaType: 'application/json' as const, content: JSON.stringify({ series: [series[k]] }) }],
          })),
        },
      };
    },
  );
}
