import type { ValidationPolicy } from '../../../src-main/shared/validationPolicy';
import { dayToIso } from '../cv/dayNumbers';
import { type BacktestGames, type BacktestResult, type StrategyInput, drawdownSeries, runBacktest } from '../backtest';
import type { EvidenceGames } from './evidence';
import { percent } from './format';

/**
 * The staking plan the backtest gates judge a model under: the policy's strategy on a bankroll that starts
 * at 1, so stakes and drawdowns read as fractions of it. Flat and edge stakes are `staking.stake` of the
 * starting bankroll and keep being placed after a ruin (as every backtest here does); the drawdown is then
 * clamped at 1 (the whole peak lost). Kelly stakes are `kellyFraction` of the Kelly stake, capped at `cap`
 * of the bankroll at the start of the day, and only on a side whose edge is at least `staking.edge`.
 */

type Staking = ValidationPolicy['staking'];
export type StakingKind = Staking['strategy'];

/** The bankroll a plan starts with. */
export const PLAN_BANKROLL = 1;

/** The tries the overfitting gate compares: every staking strategy at the policy's settings, on the same games. */
export const TRIAL_STRATEGIES: readonly StakingKind[] = ['flat', 'edge', 'kelly'];

/** The backtest strategy a staking kind means under the policy's settings. */
export function planStrategy(staking: Staking, kind: StakingKind = staking.strategy): StrategyInput {
  switch (kind) {
    case 'kelly':
      return { kind: 'kelly', fraction: staking.kellyFraction, maxStake: staking.cap, minEdge: staking.edge };
    case 'edge':
      return { kind: 'edge', stake: staking.stake, edge: staking.edge };
    case 'flat':
      return { kind: 'flat', stake: staking.stake };
  }
}

/** The plan in words, for explanations: "Kelly ×0.25 capped at 5% of the bankroll, edge ≥ 2.0%". */
export function describePlan(staking: Staking): string {
  switch (staking.strategy) {
    case 'kelly':
      return `Kelly ×${staking.kellyFraction} capped at ${percent(staking.cap)} of the bankroll, edge ≥ ${percent(staking.edge)}`;
    case 'edge':
      return `${percent(staking.stake)} stakes where the edge is ≥ ${percent(staking.edge)}`;
    case 'flat':
      return `${percent(staking.stake)} stakes on the favoured side of every game`;
  }
}

function backtestGames(games: EvidenceGames, p: Float64Array): BacktestGames {
  return {
    dates: games.days,
    homeWin: games.label,
    pHome: p,
    openHome: games.openHome,
    openAway: games.openAway,
    closeHome: games.closeHome,
    closeAway: games.closeAway,
  };
}

/** Bets one staking kind over the games at the policy's odds; the bootstrap CI (at the ROI-significance level) only when asked. */
export function runPlan(
  games: EvidenceGames,
  policy: ValidationPolicy,
  options: { kind?: StakingKind; p?: Float64Array; bootstrap?: boolean } = {},
): BacktestResult {
  return runBacktest(backtestGames(games, options.p ?? games.p), planStrategy(policy.staking, options.kind), {
    price: policy.odds,
    initialBankroll: PLAN_BANKROLL,
    bootstrap: options.bootstrap
      ? {
          resamples: policy.bootstrap.resamples,
          confidence: policy.gates.roiSignificance.level,
          seed: policy.bootstrap.seed,
          blockLength: 1,
        }
      : false,
  });
}

/** The plan's curves per game day, as the equity chart draws them and the drawdown gate reads them. */
export interface PlanCurves {
  dates: string[];
  bankroll: Float64Array;
  /** Fraction of the running peak, clamped to [0, 1]. */
  drawdown: Float64Array;
  maxDrawdown: number;
  /** Cumulative profit had each of the plan's bets been staked 1 unit (its selection without its sizing). */
  flatUnits: Float64Array;
  /** Largest peak-to-trough fall of flatUnits, in units. */
  flatDrawdownUnits: number;
}

/** Equity, clamped drawdown and the 1-unit restake of the plan's bets, one point per game day. */
export function planCurves(result: BacktestResult): PlanCurves {
  const { day, equity, drawdown } = result.daily;
  const clamped = drawdown.map((d) => Math.min(1, d));
  const units = new Float64Array(day.length);
  const { ledger } = result;
  let b = 0;
  let total = 0;
  for (let t = 0; t < day.length; t++) {
    // The ledger is in day order, so one walk settles each day's bets.
    for (; b < ledger.day.length && ledger.day[b] === day[t]; b++) total += ledger.won[b] ? ledger.odds[b] - 1 : -1;
    units[t] = total;
  }
  return {
    dates: Array.from(day, dayToIso),
    bankroll: equity,
    drawdown: clamped,
    maxDrawdown: Math.min(1, result.metrics.maxDrawdown),
    flatUnits: units,
    flatDrawdownUnits: drawdownSeries(units, 0).maxDrawdownUnits,
  };
}
