import type { GateResult } from '../../../src-main/shared/results/validation';
import { decimal, listed, percent, pValue, whole } from './format';
import { gateResult, unmeasured } from './gateResult';
import type { Measures } from './measures';

/**
 * The model against the closing market, the best public estimate of each game: its log loss may trail the
 * market's by at most maxGap (marketLogLoss), and it may not beat the market by more than the leakage margins
 * (leakage). Both compare on the games with both closing prices, with the market's vig removed proportionally.
 */

/** Number of top features named as the ones to inspect when only the metrics suggest leakage. */
export const LEAKAGE_SUSPECTS_NAMED = 5;

const NO_MARKET = 'no evaluation game has both closing prices, so the model cannot be compared with the market';

/** Model log loss − market log loss ≤ maxGap; the paired standard error and p-value of the difference beside it. */
export function marketLogLossGate(m: Measures): GateResult {
  const g = m.policy.gates.marketLogLoss;
  if (!m.market) return unmeasured('marketLogLoss', g.maxGap, NO_MARKET);
  const k = m.market;
  const passed = k.logLossDelta <= g.maxGap;
  const se =
    k.logLossDeltaSe === null ? '' : ` (± ${decimal(k.logLossDeltaSe, 4)} standard error, p = ${pValue(k.logLossDeltaPValue ?? 1)})`;
  const gap = k.logLossDelta >= 0 ? `${decimal(k.logLossDelta, 4)} worse` : `${decimal(-k.logLossDelta, 4)} better`;
  return gateResult(
    'marketLogLoss',
    k.logLossDelta,
    g.maxGap,
    passed,
    `Log loss ${decimal(k.modelLogLoss, 4)} against the closing market's ${decimal(k.marketLogLoss, 4)} on ${whole(k.games)} games: ${gap}${se}, ` +
      `${passed ? 'within' : 'beyond'} the ${decimal(g.maxGap, 4)} allowed`,
    {
      games: k.games,
      modelLogLoss: k.modelLogLoss,
      marketLogLoss: k.marketLogLoss,
      standardError: k.logLossDeltaSe,
      pValue: k.logLossDeltaPValue,
      meanOverround: k.meanOverround,
    },
  );
}

/**
 * Suspected leakage when the model beats the closing market by more than either margin (out of sample, no
 * public model does: the close already prices in what is knowable before the game), or when the leakage
 * guard flagged features. Value: the log-loss advantage (market − model); threshold: maxLogLossAdvantage.
 * The features named are the guard's findings, else the most important features, where a leak would show.
 */
export function leakageGate(m: Measures): GateResult {
  const g = m.policy.gates.leakage;
  const guard = m.evidence.leakageGuard;
  const guardLeaks = guard !== null && (!guard.passed || guard.leakingFeatures.length > 0);
  const features =
    guard && guard.leakingFeatures.length > 0 ? guard.leakingFeatures : m.evidence.topFeatures.slice(0, LEAKAGE_SUSPECTS_NAMED);
  const fromGuard = guard !== null && guard.leakingFeatures.length > 0;
  const reasons: string[] = [];
  const k = m.market;
  const logLossAdvantage = k ? k.marketLogLoss - k.modelLogLoss : null;
  const accuracyAdvantage = k ? k.modelAccuracy - k.marketAccuracy : null;
  if (k && logLossAdvantage !== null && accuracyAdvantage !== null) {
    if (logLossAdvantage > g.maxLogLossAdvantage)
      reasons.push(
        `log loss ${decimal(k.modelLogLoss, 4)} beats the closing market's ${decimal(k.marketLogLoss, 4)} by ${decimal(logLossAdvantage, 4)} ` +
          `(at most ${decimal(g.maxLogLossAdvantage, 4)} allowed)`,
      );
    if (accuracyAdvantage > g.maxAccuracyAdvantage)
      reasons.push(
        `accuracy ${percent(k.modelAccuracy)} beats the closing market's ${percent(k.marketAccuracy)} by ${percent(accuracyAdvantage)} ` +
          `(at most ${percent(g.maxAccuracyAdvantage)} allowed)`,
      );
  }
  if (guardLeaks) reasons.push(fromGuard ? `the leakage guard flagged ${listed(features)}` : 'the leakage guard failed');
  const guardState = guard === null ? 'not run' : guard.passed && guard.leakingFeatures.length === 0 ? 'passed' : 'failed';
  const details = {
    logLossAdvantage,
    accuracyAdvantage,
    maxAccuracyAdvantage: g.maxAccuracyAdvantage,
    games: k?.games ?? 0,
    guard: guardState,
    features,
    featuresFrom: fromGuard ? 'leakage guard' : 'top features by gain',
  };
  if (reasons.length > 0) {
    const inspect = fromGuard || features.length === 0 ? '' : `; features to inspect (most important first): ${listed(features)}`;
    return gateResult(
      'leakage',
      logLossAdvantage,
      g.maxLogLossAdvantage,
      false,
      `suspected leakage: ${reasons.join('; ')}${inspect}`,
      details,
    );
  }
  if (!k) return unmeasured('leakage', g.maxLogLossAdvantage, `${NO_MARKET} (leakage guard ${guardState})`, details);
  const guardNote = guard === null ? 'the leakage guard could not run' : 'the leakage guard passed';
  return gateResult(
    'leakage',
    logLossAdvantage,
    g.maxLogLossAdvantage,
    true,
    `No sign of leakage: log loss ${decimal(k.modelLogLoss, 4)} against the market's ${decimal(k.marketLogLoss, 4)} and accuracy ` +
      `${percent(k.modelAccuracy)} against ${percent(k.marketAccuracy)} stay within the margins (${decimal(g.maxLogLossAdvantage, 4)} and ` +
      `${percent(g.maxAccuracyAdvantage)}); ${guardNote}`,
    details,
  );
}
