import { sampleVariance } from 'simple-statistics';
import type { GateResult } from '../../../src-main/shared/results/validation';
import type { ValidationPolicy } from '../../../src-main/shared/validationPolicy';
import { MLB_GAME_DAYS_PER_YEAR } from '../backtest';
import { deflatedSharpeRatio, moments, probabilityOfBacktestOverfitting } from '../stats';
import { decimal, listed, whole } from './format';
import { gateResult, unmeasured } from './gateResult';

/**
 * Backtest overfitting. The tries behind the plan are the staking strategies (flat, edge, kelly at the
 * policy's settings, bet on the same games) times the sweep's trials. Two numbers, both gated:
 * - the deflated Sharpe ratio of the plan's own strategy (not the best one): the probability that its true
 *   daily Sharpe beats the Sharpe the best of that many tries would show by luck (Bailey & López de Prado).
 *   The spread of Sharpe ratios across tries is the variance over the CPCV paths when a CPCV ran (its paths
 *   are the same model on resampled histories), else over the strategies' Sharpes;
 * - the probability of backtest overfitting by CSCV over the strategies' daily returns, with the largest even
 *   partition count up to 16 that keeps at least 2 days per partition; fewer than 4 partitions (8 days)
 *   give at most 3 distinct answers, so the gate then fails saying the window is too short.
 */

/** CSCV partitions: 16 as Bailey et al., fewer on short windows. */
export const PBO_MAX_PARTITIONS = 16;
/** Fewer partitions than this leave too few splits for PBO to mean anything. */
export const PBO_MIN_PARTITIONS = 4;
/** Days per CSCV partition at least (a Sharpe needs two returns). */
const DAYS_PER_PARTITION = 2;

export interface OverfittingInput {
  /** Daily returns of each staking strategy on the same game days. */
  trialReturns: readonly Float64Array[];
  trialNames: readonly string[];
  /** Index of the policy's strategy in trialReturns. */
  plan: number;
  planBets: number;
  /** Why the plan placed no bet, said when planBets is 0. */
  noBetsReason?: string;
  sweepTrials: number;
  /** Per-day Sharpe of each CPCV path under the plan (empty when none ran). */
  pathSharpesDaily: readonly number[];
  policy: ValidationPolicy['gates']['overfitting'];
}

/** The largest even CSCV partition count up to PBO_MAX_PARTITIONS that keeps DAYS_PER_PARTITION days in each. */
export function pboPartitions(days: number): number {
  return Math.min(PBO_MAX_PARTITIONS, 2 * Math.floor(days / (2 * DAYS_PER_PARTITION)));
}

export function overfittingGate(input: OverfittingInput): GateResult {
  const g = input.policy;
  const trials = input.trialReturns.length * input.sweepTrials;
  const days = input.trialReturns[input.plan].length;
  const base = { trials, sweepTrials: input.sweepTrials, strategies: [...input.trialNames], days, maxPbo: g.maxPbo };
  if (input.planBets === 0)
    return unmeasured('overfitting', g.minDeflatedSharpe, input.noBetsReason ?? 'the staking plan placed no bet', base);
  const partitions = pboPartitions(days);
  if (partitions < PBO_MIN_PARTITIONS)
    return unmeasured(
      'overfitting',
      g.minDeflatedSharpe,
      `the probability of backtest overfitting needs at least ${PBO_MIN_PARTITIONS * DAYS_PER_PARTITION} game days ` +
        `(${PBO_MIN_PARTITIONS} partitions of ${DAYS_PER_PARTITION}), the evaluation has ${days}`,
      base,
    );
  const pbo = probabilityOfBacktestOverfitting(input.trialReturns, { partitions });
  const strategySharpes = input.trialReturns.map((r) => {
    const m = moments(r);
    return m.sd > 0 ? m.mean / m.sd : 0;
  });
  const fromPaths = input.pathSharpesDaily.length >= 2;
  const sharpeVariance = fromPaths ? sampleVariance([...input.pathSharpesDaily]) : sampleVariance(strategySharpes);
  const m = moments(input.trialReturns[input.plan]);
  const dsr = deflatedSharpeRatio({
    sharpe: strategySharpes[input.plan],
    observations: days,
    skewness: m.skewness,
    kurtosis: m.kurtosis,
    trials,
    sharpeVariance,
  });
  const annual = Math.sqrt(MLB_GAME_DAYS_PER_YEAR);
  const details = {
    ...base,
    pbo: pbo.pbo,
    pboPartitions: partitions,
    pboCombinations: pbo.combinations,
    probabilityOfLoss: pbo.probabilityOfLoss,
    sharpe: strategySharpes[input.plan] * annual,
    expectedMaxSharpe: dsr.expectedMaxSharpe * annual,
    probabilisticSharpe: dsr.probabilisticSharpe,
    sharpeVariance,
    sharpeVarianceFrom: fromPaths ? 'cpcv paths' : 'strategies',
    cpcvPaths: input.pathSharpesDaily.length,
  };
  if (!Number.isFinite(dsr.deflatedSharpe))
    return unmeasured(
      'overfitting',
      g.minDeflatedSharpe,
      'the deflated Sharpe ratio is undefined for these daily returns (too few days or extreme moments)',
      details,
    );
  const dsrOk = dsr.deflatedSharpe >= g.minDeflatedSharpe;
  const pboOk = pbo.pbo <= g.maxPbo;
  const verdict = dsrOk && pboOk ? 'the result survives the number of tries behind it' : 'the backtest may be the luck of many tries';
  return gateResult(
    'overfitting',
    dsr.deflatedSharpe,
    g.minDeflatedSharpe,
    dsrOk && pboOk,
    `Deflated Sharpe ${decimal(dsr.deflatedSharpe, 2)} after ${whole(trials)} tries (annualized Sharpe ${decimal(details.sharpe, 2)} against ` +
      `${decimal(details.expectedMaxSharpe, 2)} expected from luck) is ${dsrOk ? 'at least' : 'below'} ${decimal(g.minDeflatedSharpe, 2)}, and PBO ` +
      `${decimal(pbo.pbo, 2)} over ${listed(input.trialNames)} is ${pboOk ? 'within' : 'above'} ${decimal(g.maxPbo, 2)}: ${verdict}`,
    details,
  );
}
