import { Document, isMap, isScalar } from 'yaml';
import { type GateName, gateLabels, type ValidationPolicy, validationPolicySchema } from '../../shared/validationPolicy';
import { policyObject, policyText, type PolicyKind } from '../policies/policyText';

export { closestKey } from '../policies/policyText';

/**
 * The validation policy as people write it: YAML or JSON (JSON is read by the same YAML parser, so one
 * reader gives one set of messages). Anything the schema refuses becomes one input error (POLICY_INVALID,
 * CLI exit 3) naming the source, the key path and, for an unknown key or value, the closest allowed one.
 */

export const POLICY_INVALID = 'POLICY_INVALID';

/** What each gate's numbers mean, written above it when a policy is shown for editing. */
const GATE_HINTS: Record<GateName, string> = {
  accuracy: 'share of games whose favoured side won ≥ min; baseline is what the significance test must beat',
  roi: 'profit / staked under the staking plan ≥ min',
  maxDrawdown: 'largest fall from the peak bankroll, as a fraction of it, ≤ max',
  sharpe: 'annualized Sharpe ratio of daily returns ≥ min',
  featureStability: 'mean rank correlation of gain importances across CV folds ≥ min (top-k share reported)',
  bets: 'bets placed by the staking plan ≥ min',
  roiSignificance: 'the bootstrap interval of ROI at this level lies above 0',
  accuracySignificance: 'one-sided binomial test of accuracy against the baseline: p < alpha',
  marketLogLoss: 'model log loss − closing market log loss ≤ maxGap',
  calibration: 'expected calibration error ≤ maxEce',
  leakage: 'beating the closing market by more than these margins is suspected leakage',
  overfitting: 'probability of backtest overfitting ≤ maxPbo and deflated Sharpe ≥ minDeflatedSharpe',
};

const VALIDATION_POLICY: PolicyKind<typeof validationPolicySchema> = {
  schema: validationPolicySchema,
  code: POLICY_INVALID,
  label: 'validation policy',
  emptyHint: 'write the gates to change (e.g. `gates: {roi: {min: 0.02}}`), or `{}` for the defaults',
};

/** Checks a policy given as an object (an API input, a parsed file) and fills in the defaults; the same errors as a file. */
export function policyFromObject(value: unknown, source: string): ValidationPolicy {
  return policyObject(VALIDATION_POLICY, value, source);
}

/** Reads a policy file's text (YAML or JSON); refuses malformed text, an empty file and anything the schema refuses. */
export function parseValidationPolicy(text: string, source: string): ValidationPolicy {
  return policyText(VALIDATION_POLICY, text, source);
}

/** The policy as commented YAML, each gate on one line, for showing and editing; parseValidationPolicy reads it back unchanged. */
export function policyToYaml(policy: ValidationPolicy): string {
  const doc = new Document(policy);
  doc.commentBefore =
    ' Bullpen validation policy: the gates a model must pass before promotion. Set `enabled: false` to turn a gate off.\n' +
    ' Edit with care: a failed gate blocks promotion to staging and production.';
  const gates = doc.get('gates', true);
  if (isMap(gates)) {
    for (const item of gates.items) {
      if (isMap(item.value)) item.value.flow = true;
      if (isScalar(item.key)) {
        const name = String(item.key.value) as GateName;
        item.key.commentBefore = ` ${gateLabels[name]}: ${GATE_HINTS[name]}`;
      }
    }
  }
  const comments: Record<string, string> = {
    staking: ' The staking plan the backtest gates judge: kelly | edge | flat; bankroll starts at 1, stakes are fractions of it',
    odds: ' Prices the plan bets at: close | open (the market comparison always uses the close)',
    cv: ' The CV behind feature stability, and the combinatorially purged CV behind the overfitting gate (cpcvGroups 0 turns it off)',
    bootstrap: ' Resamples and seed of the ROI bootstrap interval',
    autoValidate: ' Validate every model when its training run completes',
  };
  const root = doc.contents;
  if (isMap(root)) {
    for (const item of root.items) {
      if (isScalar(item.key) && comments[String(item.key.value)]) item.key.commentBefore = comments[String(item.key.value)];
    }
  }
  return doc.toString({ lineWidth: 0 });
}
