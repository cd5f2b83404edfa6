import { sampleStandardDeviation } from 'simple-statistics';
import { inputError } from '../../../src-main/shared/errors';
import type { ValidationPolicy } from '../../../src-main/shared/validationPolicy';
import { type BacktestResult, MLB_GAME_DAYS_PER_YEAR } from '../backtest';
import {
  LOG_LOSS_EPSILON,
  type ReliabilityBin,
  accuracy,
  ece,
  logLoss,
  marketComparison,
  marketProbabilities,
  reliabilityCurve,
} from '../metrics';
import { normalCdf } from '../stats';
import type { EvidenceGames, ValidationEvidence } from './evidence';
import { type PlanCurves, planCurves, runPlan } from './stakingPlan';

/**
 * What the gates read, measured once from the evidence: the model's scores over every evaluation game,
 * the comparison with the vig-free closing market on games with both closing prices (whatever side
 * `policy.odds` bets at: the market's best estimate is its close), and the staking plan's backtest.
 */

export interface ModelMeasures {
  games: number;
  /** Games whose favoured side (p ≥ 0.5 means home, as `accuracy` counts it) won. */
  correct: number;
  accuracy: number;
  logLoss: number;
  ece: number;
  calibration: ReliabilityBin[];
}

export interface MarketMeasures {
  /** Games with both closing prices: the only ones either side is scored on here. */
  games: number;
  modelLogLoss: number;
  marketLogLoss: number;
  modelAccuracy: number;
  marketAccuracy: number;
  meanOverround: number;
  /** model − market log loss (the mean of the per-game differences). */
  logLossDelta: number;
  /** Standard error of that mean from the per-game paired differences; null with one game. */
  logLossDeltaSe: number | null;
  /** Two-sided p-value of "model and market score the same": a paired z-test on the per-game differences (thousands of games, so normal). */
  logLossDeltaPValue: number | null;
}

export interface PlanMeasures {
  result: BacktestResult;
  curves: PlanCurves;
  /** Games with both prices at the policy's odds: the games a bet could be placed on. */
  pricedGames: number;
}

export interface Measures {
  policy: ValidationPolicy;
  evidence: ValidationEvidence;
  /** null when the evaluation window has no games. */
  model: ModelMeasures | null;
  /** null when no game has both closing prices. */
  market: MarketMeasures | null;
  plan: PlanMeasures;
  /** Annualized Sharpe of each CPCV path under the plan (empty without CPCV). */
  pathSharpes: number[];
  /** Per-day Sharpe of the same paths, the scale the deflated Sharpe ratio works in. */
  pathSharpesDaily: number[];
}

const COLUMNS = ['label', 'p', 'closeHome', 'closeAway', 'openHome', 'openAway'] as const;

/** Refuses evidence whose columns disagree in length, naming the column (labels and probabilities are checked by the metrics). */
export function checkGames(games: EvidenceGames, what: string): void {
  const n = games.days.length;
  for (const c of COLUMNS) {
    if (games[c].length !== n)
      throw inputError('VALIDATION_EVIDENCE', `${what}: ${c} has ${games[c].length} values for ${n} games`, {
        column: c,
        expected: n,
        actual: games[c].length,
      });
  }
}

function isPriced(home: number, away: number): boolean {
  return home > 1 && away > 1 && Number.isFinite(home) && Number.isFinite(away);
}

function modelMeasures(y: Float64Array, p: Float64Array): ModelMeasures | null {
  if (y.length === 0) return null;
  let correct = 0;
  for (let i = 0; i < y.length; i++) correct += (p[i] >= 0.5 ? 1 : 0) === y[i] ? 1 : 0;
  return {
    games: y.length,
    correct,
    accuracy: accuracy(y, p),
    logLoss: logLoss(y, p),
    ece: ece(y, p),
    calibration: reliabilityCurve(y, p),
  };
}

/** One game's log loss, clipped as `logLoss` clips, so the per-game differences average to the reported delta. */
function gameLogLoss(y: number, q: number): number {
  const c = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, q));
  return y === 1 ? -Math.log(c) : -Math.log(1 - c);
}

function marketMeasures(games: EvidenceGames): MarketMeasures | null {
  const keep: number[] = [];
  for (let i = 0; i < games.label.length; i++) if (isPriced(games.closeHome[i], games.closeAway[i])) keep.push(i);
  if (keep.length === 0) return null;
  const pick = (col: Float64Array): Float64Array => Float64Array.from(keep, (i) => col[i]);
  const y = pick(games.label);
  const closeHome = pick(games.closeHome);
  const closeAway = pick(games.closeAway);
  const cmp = marketComparison(y, pick(games.p), closeHome, closeAway);
  const { fairHome } = marketProbabilities(closeHome, closeAway);
  const diffs = keep.map((i, k) => gameLogLoss(games.label[i], games.p[i]) - gameLogLoss(games.label[i], fairHome[k]));
  const se = diffs.length >= 2 ? sampleStandardDeviation(diffs) / Math.sqrt(diffs.length) : null;
  const delta = cmp.logLossDelta;
  const pValue = se === null ? null : se > 0 ? 2 * (1 - normalCdf(Math.abs(delta) / se)) : delta === 0 ? 1 : 0;
  return {
    games: cmp.games,
    modelLogLoss: cmp.model.logLoss,
    marketLogLoss: cmp.market.logLoss,
    modelAccuracy: cmp.model.accuracy,
    marketAccuracy: cmp.market.accuracy,
    meanOverround: cmp.meanOverround,
    logLossDelta: delta,
    logLossDeltaSe: se,
    logLossDeltaPValue: pValue,
  };
}

/** Measures everything the gates read; pure and deterministic (the bootstrap is seeded by the policy). */
export function measure(evidence: ValidationEvidence): Measures {
  const { policy, games } = evidence;
  checkGames(games, 'evaluation games');
  const home = policy.odds === 'open' ? games.openHome : games.closeHome;
  const away = policy.odds === 'open' ? games.openAway : games.closeAway;
  let pricedGames = 0;
  for (let i = 0; i < home.length; i++) if (isPriced(home[i], away[i])) pricedGames++;
  const result = runPlan(games, policy, { bootstrap: true });
  const pathSharpesDaily: number[] = [];
  if (evidence.cpcv) {
    checkGames(evidence.cpcv.games, 'CPCV games');
    for (const [k, path] of evidence.cpcv.paths.entries()) {
      if (path.length !== evidence.cpcv.games.days.length)
        throw inputError(
          'VALIDATION_EVIDENCE',
          `CPCV path ${k} has ${path.length} probabilities for ${evidence.cpcv.games.days.length} games`,
          {
            path: k,
          },
        );
      pathSharpesDaily.push(runPlan(evidence.cpcv.games, policy, { p: path }).metrics.sharpeDaily);
    }
  }
  return {
    policy,
    evidence,
    model: modelMeasures(games.label, games.p),
    market: marketMeasures(games),
    plan: { result, curves: planCurves(result), pricedGames },
    pathSharpes: pathSharpesDaily.map((s) => s * Math.sqrt(MLB_GAME_DAYS_PER_YEAR)),
    pathSharpesDaily,
  };
}
