import type { GateResult } from '../../../src-main/shared/results/validation';
import { DEFAULT_CALIBRATION_BINS } from '../metrics';
import { decimal, digitsApart, whole } from './format';
import { gateResult, unmeasured } from './gateResult';
import type { Measures } from './measures';

/**
 * Expected calibration error over every evaluation game (10 equal-width bins, the count-weighted mean gap
 * between predicted and observed home-win rates) at most maxEce: a staking plan sizes bets by these
 * probabilities, so a model that is right about sides but wrong about how sure it is still loses money.
 */
export function calibrationGate(m: Measures): GateResult {
  const g = m.policy.gates.calibration;
  if (!m.model) return unmeasured('calibration', g.maxEce, 'the evaluation window has no games');
  const { ece, games } = m.model;
  const passed = ece <= g.maxEce;
  return gateResult(
    'calibration',
    ece,
    g.maxEce,
    passed,
    `Expected calibration error ${decimal(ece, digitsApart(ece, g.maxEce, 3))} over ${whole(games)} games (${DEFAULT_CALIBRATION_BINS} bins) is ${passed ? 'within' : 'beyond'} ` +
      `the ${decimal(g.maxEce, 3)} limit: predicted probabilities ${passed ? 'match' : 'stray from'} the observed rates`,
    { games, bins: DEFAULT_CALIBRATION_BINS },
  );
}
