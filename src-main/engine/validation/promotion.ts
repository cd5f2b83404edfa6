import type { ValidationRecord } from '../../shared/results';
import type { ModelStage } from '../../shared/vocabulary';

export interface PromotionDecision {
  allowed: boolean;
  reason: string;
}

/** Stages a model may enter without a passed validation: where it starts, and where it is retired. */
const UNGATED: readonly ModelStage[] = ['development', 'archived'];

/**
 * "May this model be promoted to `stage`?" The one rule every path (CLI, UI, HTTP, the registry) asks:
 * staging and production need the model's latest validation to have passed, and to be newer than its
 * training (a model retrained under the same name must be validated again).
 */
export function promotionDecision(
  model: { name: string; createdAt: string },
  latest: ValidationRecord | null,
  stage: ModelStage,
): PromotionDecision {
  if (UNGATED.includes(stage)) return { allowed: true, reason: `${stage} needs no validation` };
  if (!latest)
    return {
      allowed: false,
      reason: `model ${model.name} has never been validated: run \`bullpen ml validate --model ${model.name}\` before promoting it to ${stage}`,
    };
  if (Date.parse(latest.validatedAt) < Date.parse(model.createdAt) || Date.parse(latest.trainedAt) !== Date.parse(model.createdAt))
    return {
      allowed: false,
      reason: `the latest validation of ${model.name} (${latest.validatedAt}) is older than its training (${model.createdAt}): validate it again`,
    };
  if (latest.status === 'failed')
    return {
      allowed: false,
      reason: `the latest validation of ${model.name} failed (${latest.failedGates.join(', ')}): it cannot be promoted to ${stage}`,
    };
  return { allowed: true, reason: `the latest validation of ${model.name} passed (${latest.validatedAt})` };
}
