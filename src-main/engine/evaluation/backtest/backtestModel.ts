import { toDayNumbers } from '../../../../src-workers/compute/cv';
import type { PredictBacktestPayload } from '../../../../src-workers/tasks/predictBacktest';
import { BullpenError, inputError } from '../../../shared/errors';
import { DEFAULT_SET } from '../../features/builtinFeatures';
import { loadFeatureMatrix, parseSeasons, type FeatureMatrix } from '../../modeling/featureMatrix';
import type { JobContext } from '../../jobs/jobContext';
import type { StoredModel } from '../../tracking/modelService';
import { trackRun } from '../../tracking/trackRun';
import { marketPrices, takeRows, takeValues } from '../../modeling/matrixRows';
import { servingMatrix } from '../../modeling/servingMatrix';
import type { EngineDeps } from '../../engineDeps';
import type { JobSpec } from '../../jobs/jobSpec';
import { assertSeasonsHaveGames } from '../../modeling/jobPrechecks';
import {
  backtestRunStart,
  buildBacktestResults,
  ELO_FEATURE,
  plannedStrategies,
  type BacktestOptions,
  type BacktestOutcome,
  type BacktestSource,
} from './backtestResults';
import { assertNoClosingLineAtOpen } from './closingLineGuard';
import { loadCvPredictions, type CvPredictions } from './cvPredictions';

export type { BacktestOutcome, StrategySummary } from './backtestResults';

export interface BacktestInput extends BacktestOptions {
  model?: string;
  /** A CV run whose out-of-fold predictions are bet instead of a model's. */
  run?: string;
  name?: string;
}

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
  const seasons = await assertSeasonsHaveGames(deps.data, input.seasons, '--seasons', true);
  if (input.model && input.run) throw new BullpenError('usage', 'BACKTEST_MODEL_OR_RUN', 'give --model NAME or --run CV_RUN_ID, not both');
  if (input.run) {
    const cv = await loadCvPredictions(deps.runs, input.run, seasons);
    const run = await deps.runs.get(cv.runId);
    await assertNoClosingLineAtOpen(deps.features, input.odds, `CV run ${cv.name}`, run.featureVersions ?? []);
    return;
  }
  if (!input.model || seasons.length === 0) return;
  const model = await deps.models.get(input.model);
  assertOutOfSample(model, seasons, `${Math.min(...seasons)}-01-01`);
  await assertNoClosingLineAtOpen(deps.features, input.odds, `model ${model.name}`, model.featureVersions);
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
  const model = input.model ? await deps.models.get(input.model) : null;
  const cv: CvPredictions | null = input.run ? await loadCvPredictions(deps.runs, input.run, seasons) : null;
  ctx.progress(0.02, 'building the backtest games');
  const m = model
    ? await servingMatrix(deps.workspace, model, seasons, false)
    : await loadFeatureMatrix(deps.workspace, { set: cv?.featureSet ?? DEFAULT_SET, target: cv?.target ?? 'home_win', seasons });
  if (m.rows === 0) throw inputError('NO_GAMES', `no graded games in seasons ${input.seasons}`, { seasons: input.seasons });
  if (model) assertOutOfSample(model, seasons, m.dates[0]);
  // A CV run predicts only the games its test folds held: the backtest bets exactly those.
  const rows = cv
    ? Int32Array.from({ length: m.rows }, (_v, i) => i).filter((i) => cv.p.has(m.gameIds[i]))
    : Int32Array.from({ length: m.rows }, (_v, i) => i);
  if (rows.length === 0)
    throw inputError(
      'BACKTEST_NO_OOF_GAMES',
      `none of the games of ${input.seasons} has an out-of-fold prediction in CV run ${cv?.name ?? ''}`,
      { seasons: input.seasons },
    );
  const allPrices = marketPrices(m);
  const prices = {
    close: [takeValues(allPrices.close[0], rows), takeValues(allPrices.close[1], rows)] as const,
    open: [takeValues(allPrices.open[0], rows), takeValues(allPrices.open[1], rows)] as const,
  };
  const priced = prices.close[0].filter((v, i) => v > 1 && prices.close[1][i] > 1).length;
  if (priced === 0)
    throw inputError(
      'BACKTEST_NO_ODDS',
      `no ${m.target} closing prices for seasons ${input.seasons}: import odds first (bullpen data import odds)`,
      { seasons: input.seasons },
    );
  const eloAll = await eloColumn(deps, m, seasons);
  const elo = eloAll ? takeValues(eloAll, rows) : null;
  const label = takeValues(m.label, rows);
  const strategies = plannedStrategies(input, model !== null || cv !== null, elo !== null);
  const from = model?.name ?? (cv ? `cv-${cv.name}` : 'rules');
  const name = input.name ?? `backtest-${from}-${input.seasons}-${Date.now().toString(36)}`;
  const source: BacktestSource = {
    modelName: model?.name ?? null,
    cvRun: cv ? { id: cv.runId, name: cv.name, games: rows.length, seasonGames: m.rows } : null,
  };

  return trackRun(deps.runs, backtestRunStart(m, rows, input, source, strategies, name, ctx.id), ctx.signal, async () => {
    const x = model ? takeRows(m, rows).x : null;
    const oof = cv ? Float64Array.from(rows, (i) => cv.p.get(m.gameIds[i]) ?? Number.NaN) : null;
    const payload: PredictBacktestPayload = {
      model:
        model && x
          ? { modelText: await deps.models.text(model), x, rows: rows.length, cols: m.cols, numThreads: deps.pool.threadsPerTask }
          : null,
      ...(oof ? { pHome: oof } : {}),
      games: {
        days: Int32Array.from(toDayNumbers(Array.from(rows, (i) => m.dates[i]))),
        seasons: Int32Array.from(rows, (i) => m.seasons[i]),
        homeWin: label.slice(),
        pEloHome: elo,
        openHome: prices.open[0].slice(),
        openAway: prices.open[1].slice(),
        closeHome: prices.close[0].slice(),
        closeAway: prices.close[1].slice(),
      },
      strategies: strategies.map((s) => s.spec),
      price: input.odds,
      bootstrapResamples: input.bootstrapResamples,
      seed: input.seed,
    };
    const g = payload.games;
    const out = await deps.pool.run('predictBacktest', payload, {
      transferList: [
        x?.buffer,
        oof?.buffer,
        g.days.buffer,
        g.seasons.buffer,
        g.homeWin.buffer,
        g.openHome.buffer,
        g.openAway.buffer,
        g.closeHome.buffer,
        g.closeAway.buffer,
        ...(elo ? [elo.buffer] : []),
      ].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
      signal: ctx.signal,
      onProgress: (f, message) => ctx.progress(0.1 + 0.85 * f, message),
    });
    ctx.throwIfCancelled();
    const games = { seasons, label, closeHome: prices.close[0], closeAway: prices.close[1] };
    const scored = {
      gameIds: Array.from(rows, (i) => m.gameIds[i]),
      dates: Array.from(rows, (i) => m.dates[i]),
      seasons: Array.from(rows, (i) => m.seasons[i]),
    };
    return buildBacktestResults(m, games, input, source, strategies, out, name, Date.now() - started, scored);
  });
}

/** `ml.backtest` as a job. */
export const backtestJob: JobSpec<EngineDeps, BacktestInput, 'ml.backtest'> = {
  kind: 'ml.backtest',
  precheck: precheckBacktest,
  run: backtestModel,
};
