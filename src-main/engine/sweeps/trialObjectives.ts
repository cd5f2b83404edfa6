import type { Fold } from '../../../src-workers/compute/cv';
import { decide, STRATEGY_DEFAULTS, HOME, NO_BET } from '../../../src-workers/compute/backtest/strategies';
import { accuracy, logLoss } from '../../../src-workers/compute/metrics';
import type { ObjectiveName } from '../../shared/sweep/trials';
import type { FeatureMatrix } from '../modeling/featureMatrix';

/** How a trial bets its out-of-fold predictions for the ROI objective and the best-of-N statistics. */
const BET = { kind: 'edge', stake: 1, edge: STRATEGY_DEFAULTS.edge } as const;

/** The games every trial of a sweep is scored on: the folds' test rows, the days they fall on, and the prices. */
export interface ScoringFrame {
  folds: readonly Fold[];
  y: Float64Array;
  dates: readonly string[];
  /** Distinct test days in order: daily returns are aligned to them, so every trial's series lines up. */
  days: string[];
  dayIndex: Map<string, number>;
  homeClose: Float64Array;
  awayClose: Float64Array;
  /** ROI needs moneyline prices, which price the home_win target only. */
  priced: boolean;
}

export function scoringFrame(m: FeatureMatrix, folds: readonly Fold[]): ScoringFrame {
  const days = [...new Set(folds.flatMap((f) => [...f.test].map((r) => m.dates[r])))].sort();
  return {
    folds,
    y: m.label,
    dates: m.dates,
    days,
    dayIndex: new Map(days.map((d, i) => [d, i])),
    homeClose: m.odds.homeClose,
    awayClose: m.odds.awayClose,
    priced: m.target === 'home_win',
  };
}

export interface TrialScores {
  /** One per objective, in the sweep's order. */
  values: number[];
  /** Per fold, one value per objective. */
  foldValues: number[][];
  /** Profit in units per test day (0 on a day without bets); null without prices. */
  dailyReturns: number[] | null;
}

interface Tally {
  staked: number;
  profit: number;
}

function betFold(frame: ScoringFrame, fold: Fold, pred: Float64Array, daily: number[] | null): Tally {
  const t: Tally = { staked: 0, profit: 0 };
  if (!frame.priced) return t;
  const out = { side: NO_BET, stake: 0 };
  for (let i = 0; i < fold.test.length; i++) {
    const r = fold.test[i];
    const dh = frame.homeClose[r];
    const da = frame.awayClose[r];
    if (!(dh > 1) || !(da > 1)) continue;
    decide(BET, pred[i], dh, da, out);
    if (out.side === NO_BET) continue;
    const won = out.side === HOME ? frame.y[r] === 1 : frame.y[r] === 0;
    const p = won ? out.stake * ((out.side === HOME ? dh : da) - 1) : -out.stake;
    t.staked += out.stake;
    t.profit += p;
    if (daily) daily[frame.dayIndex.get(frame.dates[r]) ?? 0] += p;
  }
  return t;
}

const roiOf = (t: Tally): number => (t.staked > 0 ? t.profit / t.staked : 0);

/**
 * A finished trial's objective values from its out-of-fold predictions: log loss as the mean of the
 * folds' test log losses (what Optuna users of lgb.cv report), accuracy over all test games, ROI of one
 * unit on every side with an edge of at least 2% at the closing price (0 when it never bets: not betting
 * loses nothing). Folds are scored alike, for the paired comparison with the default parameters.
 */
export function scoreTrial(frame: ScoringFrame, objectives: readonly ObjectiveName[], predictions: readonly Float64Array[]): TrialScores {
  const daily = frame.priced ? new Array<number>(frame.days.length).fill(0) : null;
  const foldValues: number[][] = [];
  const all: Tally = { staked: 0, profit: 0 };
  let correct = 0;
  let games = 0;
  let lossSum = 0;
  frame.folds.forEach((fold, f) => {
    const pred = predictions[f];
    const y = Float64Array.from(fold.test, (r) => frame.y[r]);
    const tally = betFold(frame, fold, pred, daily);
    all.staked += tally.staked;
    all.profit += tally.profit;
    const foldLoss = logLoss(y, pred);
    const foldAcc = accuracy(y, pred);
    lossSum += foldLoss;
    correct += foldAcc * y.length;
    games += y.length;
    const byName: Record<ObjectiveName, number> = { logLoss: foldLoss, accuracy: foldAcc, roi: roiOf(tally) };
    foldValues.push(objectives.map((o) => byName[o]));
  });
  const overall: Record<ObjectiveName, number> = {
    logLoss: lossSum / frame.folds.length,
    accuracy: games ? correct / games : NaN,
    roi: roiOf(all),
  };
  return { values: objectives.map((o) => overall[o]), foldValues, dailyReturns: daily };
}
