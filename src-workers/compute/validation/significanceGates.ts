import type { GateResult } from '../../../src-main/shared/results/validation';
import { binomialUpperTail } from './binomialTest';
import { percent, pValue, whole } from './format';
import { gateResult, unmeasured } from './gateResult';
import type { Measures } from './measures';
import { noBetsReason } from './performanceGates';

/**
 * The luck gates. A positive ROI or an accuracy above the baseline proves little on a few hundred bets:
 * these ask whether chance alone would plausibly give the same numbers.
 */

/**
 * The percentile bootstrap interval of the plan's ROI (bets resampled with replacement, policy.bootstrap
 * resamples and seed, at roiSignificance.level) must lie entirely above 0. Value: its lower bound; threshold 0.
 */
export function roiSignificanceGate(m: Measures): GateResult {
  const g = m.policy.gates.roiSignificance;
  const r = m.plan.result.metrics;
  const level = percent(g.level, { digits: 0 });
  const base = { level: g.level, resamples: m.policy.bootstrap.resamples, seed: m.policy.bootstrap.seed, bets: r.bets };
  if (r.bets === 0) return unmeasured('roiSignificance', 0, noBetsReason(m), base);
  if (!r.roiCi) return unmeasured('roiSignificance', 0, `a bootstrap interval needs at least 2 bets, the plan placed ${r.bets}`, base);
  const [low, high] = r.roiCi;
  const passed = low > 0;
  const interval = `its ${level} bootstrap interval [${percent(low, { signed: true })}, ${percent(high, { signed: true })}]`;
  const roi = percent(r.roi, { signed: true });
  const explanation = passed
    ? `ROI ${roi} with ${interval} above 0: unlikely to be luck alone`
    : high <= 0
      ? `ROI ${roi} and ${interval} lies at or below 0: the plan loses money`
      : r.roi > 0
        ? `ROI ${roi} but ${interval} includes 0: the profit may be luck`
        : `ROI ${roi} and ${interval} includes 0: no evidence of a profit`;
  return gateResult('roiSignificance', low, 0, passed, explanation, { ...base, roi: r.roi, low, high, pValue: r.roiPValue });
}

/**
 * One-sided exact binomial test of the correct picks against the accuracy gate's baseline: the p-value is
 * P(X ≥ correct) for X ~ Binomial(games, baseline), and it must be below alpha. Value: the p-value; threshold: alpha.
 */
export function accuracySignificanceGate(m: Measures): GateResult {
  const g = m.policy.gates.accuracySignificance;
  const baseline = m.policy.gates.accuracy.baseline;
  if (!m.model) return unmeasured('accuracySignificance', g.alpha, 'the evaluation window has no games', { baseline });
  const { correct, games, accuracy } = m.model;
  const p = binomialUpperTail(correct, games, baseline);
  const passed = p < g.alpha;
  const verdict = passed
    ? `< ${g.alpha}: better than the baseline beyond chance`
    : `≥ ${g.alpha}: not distinguishable from the baseline by chance`;
  return gateResult(
    'accuracySignificance',
    p,
    g.alpha,
    passed,
    `Accuracy ${percent(accuracy)} (${whole(correct)} of ${whole(games)}) against the ${percent(baseline)} baseline: one-sided binomial p = ${pValue(p)} ${verdict}`,
    { correct, games, accuracy, baseline },
  );
}
