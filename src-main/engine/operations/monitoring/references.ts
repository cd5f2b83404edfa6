import { performance } from 'node:perf_hooks';
import { decide, HOME, NO_BET, type Strategy } from '../../../../src-workers/compute/backtest';
import {
  featureReference,
  performanceReference,
  type FeatureDriftConfig,
  type FeatureReference,
  type PerformanceDriftConfig,
  type PerformanceReference,
  type PerformanceSample,
  type QualitySample,
} from '../../../../src-workers/compute/monitoring';
import { inputError } from '../../../shared/errors';
import type { OpsPolicy } from '../../../shared/operations/opsPolicy';
import type { Deployment } from '../../../shared/results/operations';
import type { EngineDeps } from '../../engineDeps';
import { parseSeasons, type FeatureMatrix } from '../../modeling/featureMatrix';
import { marketPrices, takeRows } from '../../modeling/matrixRows';
import { servingMatrix } from '../../modeling/servingMatrix';
import type { StoredModel } from '../../tracking/modelService';

/**
 * The reference a deployment's windows are compared with, prepared once per deployment: the feature values
 * of the reference games (from the feature matrix, the same point-in-time rows a prediction reads), the
 * model's predictions on them, and their outcomes and closing prices. Drift references are sorted and
 * binned, the performance reference's bootstrap replicates drawn, so a check (every hour live, every day
 * of a replay) only measures the current window.
 *
 * Which games (policy `reference.source`):
 * - `validation` (default), the first of these that has games:
 *   1. complete seasons after the model's last training date (training or early-stopping rows) and before
 *      the monitored season: games no part of the model's fitting saw;
 *   2. the model's validation (early-stopping) seasons: unseen by the trees, used only to choose the
 *      number of boosting rounds (a model trained 2000–2014 with early stopping on 2015, monitored in 2016,
 *      gets 2015);
 *   3. the model's last training season, in-sample: the description says so, since in-sample
 *      predictions are sharper than the ones the deployment will make.
 *   Out-of-fold predictions of a CV run are not used: a CV run's folds are models other than the one served.
 * - `seasons`: the seasons the policy names, which may include the monitored season.
 * Games of the reference are never part of a current window (a reference drawn from the monitored season
 * is not compared with itself).
 *
 * Drift is compared phase for phase. Many features move through a season by construction (games played,
 * a pitcher's starts, every season-to-date rate, which is wide in April and narrow in September), so a
 * 30-day window is never distributed like a whole season: against the whole validation season, games
 * played alone drifts at every check. The feature- and prediction-drift monitors therefore compare the
 * window with the reference games of the same days of the season (days since each season's opening day,
 * `phaseReference`), prepared when the window moves. Data quality and performance compare with the whole
 * reference: the missing-value rule exempts a team's first games itself, the range is the season's, and
 * realized performance does not follow the calendar.
 */

/** Flat one unit on a side whose model edge is at least 2% at the closing price: the ROI every monitor and summary reports. */
export const EDGE_STRATEGY: Strategy = { kind: 'edge', stake: 1, edge: 0.02 };

export interface PreparedReference {
  deploymentId: string;
  modelName: string;
  /** How the games were chosen (`after-training`, `validation`, `training` (in-sample), `seasons`, `explicit`). */
  kind: 'after-training' | 'validation' | 'training' | 'seasons' | 'explicit';
  seasons: number[];
  description: string;
  gameIds: ReadonlySet<string>;
  featureNames: string[];
  /**
   * Features exempt from the missing-value rule in a team's first games of a season: those tagged
   * `season-to-date`, and those the reference itself shows missing mostly then (see warmupMissing).
   */
  seasonToDate: string[];
  /** The reference's feature columns (NaN where missing) and each game's number in the season: the data-quality reference. */
  quality: QualitySample & { columns: Record<string, Float64Array> };
  predictions: Float64Array;
  /** Days since its season's opening day, per reference game. */
  dayOfSeason: Int32Array;
  driftConfig: FeatureDriftConfig;
  /** The phase reference of the latest window (a replay moves it one day at a time). */
  phase: PhaseReference | null;
  /** Settled reference games: outcome, prediction, and the edge strategy's stake and profit at the close. */
  sample: PerformanceSample & { y: Float64Array; p: Float64Array; stake: Float64Array; profit: Float64Array };
  performanceReference: PerformanceReference | null;
  preparedMs: number;
}

/** The reference games of some days of the season, prepared for the drift monitors. */
export interface PhaseReference {
  from: number;
  to: number;
  games: number;
  features: FeatureReference;
  predictions: Float64Array;
}

const DAY_MS = 86_400_000;

/** Whole days from `opening` to `date` (ISO dates). */
export function daysBetween(opening: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${opening}T00:00:00Z`)) / DAY_MS);
}

/** The reference games of days `from`..`to` of their season, sorted and binned (kept until the window moves). */
export function phaseReference(ref: PreparedReference, from: number, to: number): PhaseReference {
  if (ref.phase && ref.phase.from === from && ref.phase.to === to) return ref.phase;
  const rows: number[] = [];
  for (let i = 0; i < ref.dayOfSeason.length; i++) if (ref.dayOfSeason[i] >= from && ref.dayOfSeason[i] <= to) rows.push(i);
  const columns: Record<string, Float64Array> = {};
  for (const name of ref.featureNames) {
    const all = ref.quality.columns[name];
    columns[name] = Float64Array.from(rows, (i) => all[i]);
  }
  ref.phase = {
    from,
    to,
    games: rows.length,
    features: featureReference(columns, ref.driftConfig),
    predictions: Float64Array.from(rows, (i) => ref.predictions[i]),
  };
  return ref.phase;
}

/** Reference rows chosen by the caller (a benchmark's seeded half of a season): game ids within the given seasons. */
export interface ExplicitReference {
  seasons: number[];
  gameIds: ReadonlySet<string>;
  description: string;
}

type ReferenceDeps = Pick<EngineDeps, 'workspace' | 'pool' | 'models' | 'runs' | 'data' | 'features'>;

/** The drift configuration an operations policy asks for: its default rule for every type, its per-feature rules, the model's features. */
export function featureDriftConfig(policy: OpsPolicy, featureNames: string[]): FeatureDriftConfig {
  const rule = (r: { method: OpsPolicy['featureDrift']['default']['method']; threshold: number }) =>
    // PSI keeps the usual "moderate shift" warning level at half its alert level; other methods alert only.
    r.method === 'psi' ? { method: r.method, threshold: r.threshold, warn: r.threshold / 2 } : { method: r.method, threshold: r.threshold };
  const d = rule(policy.featureDrift.default);
  return {
    byType: { numeric: d, binary: d, ...(d.method === 'psi' || d.method === 'jensenShannon' ? { categorical: d } : {}) },
    byFeature: Object.fromEntries(Object.entries(policy.featureDrift.features).map(([name, r]) => [name, rule(r)])),
    features: featureNames,
  };
}

export function performanceDriftConfig(policy: OpsPolicy): PerformanceDriftConfig {
  return { relativeDrop: policy.performance.relativeDrop, confidence: policy.performance.ciLevel, resamples: 2000, seed: 1 };
}

/** Which seasons the policy's reference means for this model, monitored in `monitoredSeason`. */
export async function referenceSeasons(
  deps: ReferenceDeps,
  model: StoredModel,
  policy: OpsPolicy,
  monitoredSeason: number,
): Promise<{ kind: PreparedReference['kind']; seasons: number[]; description: string }> {
  if (policy.reference.source === 'seasons') {
    if (!policy.reference.seasons)
      throw inputError(
        'REFERENCE_SEASONS_MISSING',
        'the policy says reference.source: seasons but names none: add reference.seasons (e.g. 2015 or 2013-2015)',
      );
    const seasons = parseSeasons(policy.reference.seasons) ?? [];
    return { kind: 'seasons', seasons, description: `seasons ${policy.reference.seasons} (the policy's reference)` };
  }
  const finished = await deps.data.seasons({ finished: true });
  const lastTrained = Number(model.lastTrainingDate.slice(0, 4));
  const after = finished.filter((s) => s > lastTrained && s < monitoredSeason);
  if (after.length)
    return { kind: 'after-training', seasons: after, description: `seasons ${after.join(', ')}, after the model's last training date` };
  const params = await deps.runs.params(model.runId);
  const valid = (parseSeasons(params.validSeasons ? String(params.validSeasons) : undefined) ?? []).filter((s) => finished.includes(s));
  if (valid.length)
    return {
      kind: 'validation',
      seasons: valid,
      description: `validation (early-stopping) season${valid.length > 1 ? 's' : ''} ${valid.join(', ')}`,
    };
  const last = Math.max(...model.seasons.filter((s) => finished.includes(s)));
  if (!Number.isFinite(last))
    throw inputError(
      'REFERENCE_NO_GAMES',
      `model ${model.name} has no finished season to take a reference from: name one with reference.source: seasons in the policy`,
      { model: model.name },
    );
  return {
    kind: 'training',
    seasons: [last],
    description: `training season ${last} (in-sample: its predictions are sharper than live ones)`,
  };
}

/** Stake and profit of the edge strategy at the closing prices, per game (no stake where a price is missing). */
export function edgeBets(p: ArrayLike<number>, y: ArrayLike<number>, closeHome: ArrayLike<number>, closeAway: ArrayLike<number>) {
  const n = p.length;
  const stake = new Float64Array(n);
  const profit = new Float64Array(n);
  const out = { side: NO_BET, stake: 0 };
  for (let i = 0; i < n; i++) {
    const dh = closeHome[i];
    const da = closeAway[i];
    if (!(dh > 1 && da > 1) || Number.isNaN(y[i])) continue;
    decide(EDGE_STRATEGY, p[i], dh, da, out);
    if (out.side === NO_BET) continue;
    const won = out.side === HOME ? y[i] === 1 : y[i] === 0;
    stake[i] = out.stake;
    profit[i] = won ? out.stake * ((out.side === HOME ? dh : da) - 1) : -out.stake;
  }
  return { stake, profit };
}

/** A column of a row-major matrix, restricted to the given rows. */
function column(m: FeatureMatrix, j: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = m.features[rows[i] * m.cols + j];
  return out;
}

/**
 * Features the reference shows missing mostly in a team's first `warmupGames` games: at least twice as
 * often as later and by 5 points or more. Untagged features can be season-to-date in effect: a pitcher's
 * team record in his starts this season has none before his first start, his rest days and recent form
 * none before his first start in the workspace.
 */
export function warmupMissing(columns: Record<string, Float64Array>, gameOfSeason: Float64Array, warmupGames: number): string[] {
  const out: string[] = [];
  for (const [name, values] of Object.entries(columns)) {
    let early = 0;
    let earlyMissing = 0;
    let late = 0;
    let lateMissing = 0;
    for (let i = 0; i < values.length; i++) {
      const g = gameOfSeason[i];
      if (Number.isNaN(g)) continue;
      const missing = Number.isNaN(values[i]) ? 1 : 0;
      if (g <= warmupGames) {
        early++;
        earlyMissing += missing;
      } else {
        late++;
        lateMissing += missing;
      }
    }
    if (!early || !late) continue;
    const e = earlyMissing / early;
    const l = lateMissing / late;
    if (e >= 2 * l && e - l >= 0.05) out.push(name);
  }
  return out;
}

/** Scores the rows of a matrix with the model in a worker. */
async function scoreRows(
  deps: ReferenceDeps,
  model: StoredModel,
  m: FeatureMatrix,
  rows: Int32Array,
  signal?: AbortSignal,
): Promise<Float64Array> {
  if (rows.length === 0) return new Float64Array(0);
  const { x } = takeRows(m, rows);
  const { p } = await deps.pool.run(
    'predict',
    { modelText: await deps.models.text(model), x, rows: rows.length, cols: m.cols, numThreads: deps.pool.threadsPerTask },
    { transferList: [x.buffer], ...(signal ? { signal } : {}) },
  );
  return p;
}

/**
 * Opening days of seasons: the date by which half the teams had played their first game. A season's first
 * date would do but for the series some seasons open abroad a week early (Tokyo 2008 and 2012, Sydney 2014).
 */
const openingSql = (seasons: string) => `
  SELECT season, CAST(quantile_disc(first, 0.5) AS DATE) AS opening FROM (
    SELECT season, team, min(date) AS first FROM (
      SELECT season, home AS team, date FROM games WHERE season IN (${seasons})
      UNION ALL SELECT season, away AS team, date FROM games WHERE season IN (${seasons}))
    GROUP BY season, team)
  GROUP BY season`;

/** Each game's number in the season for the quality monitor's warm-up rule (the lower of the two teams' games played, plus one), and its day of the season. */
async function gamesOfSeason(deps: ReferenceDeps, seasons: number[]): Promise<Map<string, { g: number; day: number }>> {
  const list = seasons.map(Number).join(',');
  const rows = await deps.workspace.all<{ game_id: string; g: number | null; day: number }>(
    `SELECT game_id, least(home_game_no, away_game_no) AS g, CAST(date - o.opening AS INTEGER) AS day
     FROM games JOIN (${openingSql(list)}) o USING (season) WHERE season IN (${list})`,
  );
  return new Map(rows.map((r) => [r.game_id, { g: r.g ?? Number.NaN, day: r.day }]));
}

/** The opening day of a season in the workspace (see openingSql), or null without games. */
export async function openingDay(deps: Pick<EngineDeps, 'workspace'>, season: number): Promise<string | null> {
  const d = await deps.workspace.value<string | null>(`SELECT strftime(opening, '%Y-%m-%d') FROM (${openingSql(String(Number(season)))})`);
  return d ?? null;
}

/**
 * Prepares the reference of a deployment: chooses its games (see above), scores them with the deployment's
 * model and sorts, bins and bootstraps everything a check compares with.
 */
export async function prepareReference(
  deps: ReferenceDeps,
  deployment: Deployment,
  options: { monitoredSeason: number; explicit?: ExplicitReference; signal?: AbortSignal },
): Promise<PreparedReference> {
  const started = performance.now();
  const policy = deployment.policy;
  const model = await deps.models.get(deployment.sourceModel);
  const chosen = options.explicit
    ? { kind: 'explicit' as const, seasons: options.explicit.seasons, description: options.explicit.description }
    : await referenceSeasons(deps, model, policy, options.monitoredSeason);
  const m = await servingMatrix(deps.workspace, model, chosen.seasons, false);
  const keep: number[] = [];
  for (let i = 0; i < m.rows; i++) if (!options.explicit || options.explicit.gameIds.has(m.gameIds[i])) keep.push(i);
  const rows = Int32Array.from(keep);
  if (rows.length === 0)
    throw inputError(
      'REFERENCE_NO_GAMES',
      `the reference of deployment ${deployment.name} (${chosen.description}) has no graded games: import those seasons or choose reference seasons in the policy`,
      { deployment: deployment.name, seasons: chosen.seasons },
    );
  const p = await scoreRows(deps, model, m, rows, options.signal);
  const columns: Record<string, Float64Array> = {};
  m.featureNames.forEach((name, j) => (columns[name] = column(m, j, rows)));
  const gameOfSeason = await gamesOfSeason(deps, chosen.seasons);
  const gos = Float64Array.from(rows, (r) => gameOfSeason.get(m.gameIds[r])?.g ?? Number.NaN);
  const dayOfSeason = Int32Array.from(rows, (r) => gameOfSeason.get(m.gameIds[r])?.day ?? -1);
  const [closeHome, closeAway] = marketPrices(m).close;
  const y = Float64Array.from(rows, (r) => m.label[r]);
  const ch = Float64Array.from(rows, (r) => closeHome[r]);
  const ca = Float64Array.from(rows, (r) => closeAway[r]);
  const bets = edgeBets(p, y, ch, ca);
  const sample = { y, p, stake: bets.stake, profit: bets.profit };
  const tagged = await deps.features.withTag(m.featureVersions, 'season-to-date');
  const seasonToDate = [...new Set([...tagged, ...warmupMissing(columns, gos, policy.quality.exemptFirstGames)])].sort();
  return {
    deploymentId: deployment.id,
    modelName: model.name,
    kind: chosen.kind,
    seasons: chosen.seasons,
    description: `${chosen.description}: ${rows.length} games`,
    gameIds: new Set(Array.from(rows, (r) => m.gameIds[r])),
    featureNames: m.featureNames,
    seasonToDate,
    quality: { columns, gameOfSeason: gos },
    predictions: p,
    dayOfSeason,
    driftConfig: featureDriftConfig(policy, m.featureNames),
    phase: null,
    sample,
    performanceReference: performanceReference(sample, performanceDriftConfig(policy)),
    preparedMs: performance.now() - started,
  };
}
