import type { GatedStage, PromotionGate, RollbackGate } from '../../shared/registry';
import type { ModelStage } from '../../shared/vocabulary';
import type { PromotionDecision } from '../validation/promotion';
import type { Approval } from './registryService';

/** Stages a version may enter without a validation or an approval: where it starts, and where it is retired. */
const UNGATED: readonly ModelStage[] = ['development', 'archived'];

export const isGated = (stage: ModelStage): stage is GatedStage => !UNGATED.includes(stage);

const shortRun = (runId: string): string => runId.slice(0, 8);

/** The version a gate is asked about: which trained model (and training run) it holds, where it is now. */
export interface GatedVersion {
  modelName: string;
  version: number;
  stage: ModelStage;
  sourceModel: string;
  runId: string;
}

/**
 * The approval gate: the latest decision recorded for this version and stage must be an approval, so
 * a rejection recorded after an approval blocks until someone approves again.
 */
export function approvalCheck(v: GatedVersion, approvals: readonly Approval[], stage: GatedStage): { passed: boolean; reason: string } {
  const latest = approvals.filter((a) => a.stage === stage).at(-1);
  if (!latest)
    return {
      passed: false,
      reason: `version ${v.version} of ${v.modelName} has no approval for ${stage}: \`bullpen registry approve ${v.modelName}:${v.version} --stage ${stage} --comment TEXT\``,
    };
  if (latest.decision === 'rejected')
    return {
      passed: false,
      reason: `version ${v.version} of ${v.modelName} was rejected for ${stage} by ${latest.actor} (${latest.at}: "${latest.comment}"): it needs a new approval`,
    };
  return { passed: true, reason: `approved for ${stage} by ${latest.actor} (${latest.at})` };
}

/**
 * The training gate: validations judge a model by name, so a version is judged by them only while its
 * trained model is still the one under that name (a retrained model is a new version to register).
 */
export function trainingCheck(v: GatedVersion, current: { runId: string } | undefined): { passed: boolean; reason: string } {
  if (!current)
    return {
      passed: false,
      reason: `model ${v.sourceModel}, which version ${v.version} of ${v.modelName} holds, no longer exists: it cannot be validated`,
    };
  if (current.runId !== v.runId)
    return {
      passed: false,
      reason:
        `version ${v.version} of ${v.modelName} holds training run ${shortRun(v.runId)} of model ${v.sourceModel}, which has been retrained since ` +
        `(run ${shortRun(current.runId)}): validations now judge the new training; register it (\`bullpen registry register ${v.sourceModel} --as ${v.modelName}\`) and promote that version`,
    };
  return { passed: true, reason: `version ${v.version} holds the current training of ${v.sourceModel} (run ${shortRun(v.runId)})` };
}

/**
 * Whether a version may move to `to` now. Staging and production need the current training, a passing
 * and current validation (ValidationService.promotion) and a standing approval for that stage; every
 * failing gate is named in `reason`. Development and archived are never gated.
 */
export function promotionGate(
  v: GatedVersion,
  to: ModelStage,
  checks: { current: { runId: string } | undefined; validation: PromotionDecision | null; approvals: readonly Approval[] },
): PromotionGate {
  const base = { modelName: v.modelName, version: v.version, from: v.stage, to };
  if (v.stage === to) {
    const same = { passed: false, reason: `version ${v.version} of ${v.modelName} is already in ${to}` };
    return { ...base, allowed: false, reason: same.reason, training: same, validation: same, approval: same };
  }
  if (!isGated(to)) {
    const free = { passed: true, reason: `${to} needs no validation or approval` };
    return { ...base, allowed: true, reason: free.reason, training: free, validation: free, approval: free };
  }
  const training = trainingCheck(v, checks.current);
  const validation =
    training.passed && checks.validation
      ? { passed: checks.validation.allowed, reason: checks.validation.reason }
      : { passed: false, reason: `not checked: ${training.reason}` };
  const approval = approvalCheck(v, checks.approvals, to);
  const failing = [training, ...(training.passed ? [validation] : []), approval].filter((c) => !c.passed);
  return {
    ...base,
    allowed: failing.length === 0,
    reason: failing.length ? failing.map((c) => c.reason).join('; ') : `${validation.reason}; ${approval.reason}`,
    training,
    validation,
    approval,
  };
}

/** The rollback rule: the version that left production most recently comes back; the current one (if any) is archived. */
export function rollbackGate(
  modelName: string,
  production: { version: number } | undefined,
  lastProduction: { version: number } | undefined,
): RollbackGate {
  const from = production?.version ?? null;
  if (!lastProduction)
    return {
      modelName,
      allowed: false,
      reason: `${modelName} has no earlier production version to restore: rollback restores the version that was in production before${from === null ? '' : ` version ${from}`}`,
      from,
      to: null,
    };
  return {
    modelName,
    allowed: true,
    reason: `restores version ${lastProduction.version} to production${from === null ? '' : `, archiving version ${from}`}`,
    from,
    to: lastProduction.version,
  };
}
