import type { GateResult } from '../../../src-main/shared/results/validation';
import { MLB_GAME_DAYS_PER_YEAR } from '../backtest';
import { decimal, digitsApart, percent, whole } from './format';
import { gateResult, unmeasured } from './gateResult';
import type { Measures } from './measures';
import { describePlan } from './stakingPlan';

/**
 * The business gates: accuracy over every evaluation game, and ROI, maximum drawdown, Sharpe and the number
 * of bets of the staking plan's backtest. A plan that placed no bet has no ROI, drawdown or Sharpe to judge:
 * those gates fail saying so rather than passing on the zeros an empty backtest reports.
 */

/** Why the plan has nothing to measure, in words. */
export function noBetsReason(m: Measures): string {
  if (m.plan.pricedGames === 0) return `no evaluation game has both ${m.policy.odds === 'open' ? 'opening' : 'closing'} prices to bet at`;
  return `the staking plan (${describePlan(m.policy.staking)}) placed no bet on ${whole(m.plan.pricedGames)} priced games`;
}

/** Accuracy (share of games whose favoured side won) at least `min`; the baseline it should beat is named beside it. */
export function accuracyGate(m: Measures): GateResult {
  const g = m.policy.gates.accuracy;
  if (!m.model) return unmeasured('accuracy', g.min, 'the evaluation window has no games');
  const { accuracy, correct, games } = m.model;
  const passed = accuracy >= g.min;
  const market = m.market
    ? `; the closing market picks ${percent(m.market.marketAccuracy)} on its ${whole(m.market.games)} priced games`
    : '';
  return gateResult(
    'accuracy',
    accuracy,
    g.min,
    passed,
    `Accuracy ${percent(accuracy, { digits: digitsApart(accuracy, g.min, 1, 100) })} (${whole(correct)} of ${whole(games)} games) is ${passed ? 'at least' : 'below'} the ${percent(g.min)} required ` +
      `(baseline ${percent(g.baseline)}${market})`,
    { games, correct, baseline: g.baseline, marketAccuracy: m.market?.marketAccuracy ?? null },
  );
}

/** ROI = profit / staked over the plan's bets, at least `min`. */
export function roiGate(m: Measures): GateResult {
  const g = m.policy.gates.roi;
  const r = m.plan.result.metrics;
  if (r.bets === 0) return unmeasured('roi', g.min, noBetsReason(m), { bets: 0 });
  const passed = r.roi >= g.min;
  return gateResult(
    'roi',
    r.roi,
    g.min,
    passed,
    `ROI ${percent(r.roi, { signed: true, digits: digitsApart(r.roi, g.min, 1, 100) })} on ${whole(r.bets)} bets (${describePlan(m.policy.staking)}) is ${passed ? 'at least' : 'below'} ` +
      `the ${percent(g.min, { signed: true })} required`,
    { bets: r.bets, staked: r.staked, profit: r.profit, odds: m.policy.odds },
  );
}

/** Largest fall from a peak as a fraction of the peak bankroll under the plan, at most `max`; flat 1-unit stakes' fall in units beside. */
export function maxDrawdownGate(m: Measures): GateResult {
  const g = m.policy.gates.maxDrawdown;
  const r = m.plan.result.metrics;
  const { maxDrawdown, flatDrawdownUnits } = m.plan.curves;
  const details = { flatDrawdownUnits, finalBankroll: r.finalBankroll, bets: r.bets };
  if (r.bets === 0) return unmeasured('maxDrawdown', g.max, noBetsReason(m), details);
  const passed = maxDrawdown <= g.max;
  const ruin = r.finalBankroll <= 0 || maxDrawdown >= 1 ? ' (the bankroll was wiped out)' : '';
  return gateResult(
    'maxDrawdown',
    maxDrawdown,
    g.max,
    passed,
    `Maximum drawdown ${percent(maxDrawdown, { digits: digitsApart(maxDrawdown, g.max, 1, 100) })} of the peak bankroll${ruin} is ${passed ? 'within' : 'beyond'} the ${percent(g.max)} limit; ` +
      `the same bets at 1 unit each fell ${decimal(flatDrawdownUnits, 1)} units at worst`,
    details,
  );
}

/** Annualized Sharpe ratio of the plan's daily returns (every game day, √MLB_GAME_DAYS_PER_YEAR), at least `min`. */
export function sharpeGate(m: Measures): GateResult {
  const g = m.policy.gates.sharpe;
  const r = m.plan.result.metrics;
  const details = { days: r.days, sharpeDaily: r.sharpeDaily, periodsPerYear: MLB_GAME_DAYS_PER_YEAR };
  if (r.bets === 0) return unmeasured('sharpe', g.min, noBetsReason(m), details);
  if (!Number.isFinite(r.sharpe))
    return unmeasured('sharpe', g.min, `a Sharpe ratio needs at least 2 game days, the evaluation has ${r.days}`, details);
  const passed = r.sharpe >= g.min;
  return gateResult(
    'sharpe',
    r.sharpe,
    g.min,
    passed,
    `Annualized Sharpe ${decimal(r.sharpe, digitsApart(r.sharpe, g.min, 2))} of daily returns over ${whole(r.days)} game days is ${passed ? 'at least' : 'below'} ${decimal(g.min, 2)}`,
    details,
  );
}

/** Enough bets for the plan's numbers to mean something: at least `min`. */
export function betsGate(m: Measures): GateResult {
  const g = m.policy.gates.bets;
  const bets = m.plan.result.metrics.bets;
  const passed = bets >= g.min;
  const why = bets === 0 ? ` (${noBetsReason(m)})` : '';
  return gateResult(
    'bets',
    bets,
    g.min,
    passed,
    `${whole(bets)} bets on ${whole(m.plan.pricedGames)} priced games${why}: ${passed ? 'at least' : 'fewer than'} the ${whole(g.min)} needed ` +
      `for ROI and drawdown to mean much`,
    { pricedGames: m.plan.pricedGames, games: m.evidence.games.days.length },
  );
}
